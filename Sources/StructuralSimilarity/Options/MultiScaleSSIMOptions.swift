/// Every setting of Wang, Simoncelli and Bovik's multi-scale SSIM (2003): the per-scale SSIM, the
/// weights, and the three points on which the libraries differ (how an odd size is halved, how
/// negative terms are clamped, where channels are averaged). The presets (``wang``,
/// ``pytorchMSSSIM``, ``tensorflow``, ``torchmetrics``, ``piq``) reproduce each library's
/// default call; every field can be changed afterwards.
///
/// With `M = weights.count` scales, the images halved (``downsampling``) between scales, and the
/// per-plane means over the SSIM map's positions (the SSIM of ``SSIMOptions`` with these window,
/// border, padding, covariance, constants and data range, no eps):
///
/// ```
/// cs_j   = mean((2 sigma12 + C2) / (sigma1 + sigma2 + C2))     at scales j < M
/// ssim_M = mean(SSIM)                                           at the coarsest scale
/// MS-SSIM = prod_{j < M} clamp(cs_j)^w_j * clamp(ssim_M)^w_M    (per channel, then the mean; or pooled)
/// ```
///
/// This is not Kornia's `MS_SSIMLoss` (``MSSSIMLoss``, Zhao et al.'s MS-SSIM + L1 loss at full
/// resolution): see <doc:WangMultiScaleSSIM>.
///
/// ```swift
/// var o = MultiScaleSSIMOptions.tensorflow
/// o.weights = [0.0448, 0.2856, 0.3001]        // three scales
/// o.dataRange = .value(255)
/// let s = try multiScaleSSIM(x, y, options: o) // one value per image
/// ```
public struct MultiScaleSSIMOptions: Sendable, Hashable {
    /// The exponent of each scale's term, finest first; their number is the number of scales.
    public var weights: [Double]
    /// The per-scale window's shape.
    public var window: SSIMWindow
    /// The per-scale window's taps per axis: odd, at least 1.
    public var windowSize: Int
    /// What the per-scale filters read beyond the edges (only with ``padding`` `.same`).
    public var border: Border
    /// The contrast-structure maps' padding: `.valid` (every library's), the means over the
    /// positions whose window lies inside the image.
    public var padding: Padding
    /// The padding of the SSIM map averaged at the coarsest scale: `.valid` as ``padding`` for
    /// every library but torchmetrics, which averages its `same` map (reflect border).
    public var coarsestPadding: Padding
    /// Population or sample variances and covariance.
    public var covariance: Covariance
    /// `C1 = (k1 L)^2`.
    public var k1: Double
    /// `C2 = (k2 L)^2`.
    public var k2: Double
    /// The dynamic range `L`: a value, or taken from the images at every scale (torchmetrics'
    /// `data_range=None`: the larger `max - min` of the two halved images).
    public var dataRange: DataRange
    /// How an image is halved between scales.
    public var downsampling: MultiScaleDownsampling
    /// What is done with negative terms before their powers.
    public var clamping: MultiScaleClamping
    /// Whether channels are averaged after the product (per channel) or before it.
    public var channelPooling: MultiScaleChannelPooling
    /// The smallest images taken: those whose every scale fits the window, or Wang's stricter
    /// rule.
    public var sizeRule: MultiScaleSizeRule
    /// Volumes only: at a scale where the depth is shorter than the window, leave the depth
    /// unfiltered and uncropped (each slice compared as a 2-D image, its means averaged over the
    /// slices), as pytorch-msssim skips the Gaussian along a dimension shorter than it, instead of
    /// refusing the volume.
    public var unfilteredShortDepth: Bool

    /// Options from every field; the defaults are Wang's (``wang``).
    public init(
        weights: [Double] = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333], window: SSIMWindow = .gaussian(sigma: 1.5),
        windowSize: Int = 11, border: Border = .reflect, padding: Padding = .valid, coarsestPadding: Padding = .valid,
        covariance: Covariance = .population,
        k1: Double = 0.01, k2: Double = 0.03, dataRange: DataRange = .value(255),
        downsampling: MultiScaleDownsampling = .padEndSymmetric, clamping: MultiScaleClamping = .none,
        channelPooling: MultiScaleChannelPooling = .perChannel, sizeRule: MultiScaleSizeRule = .windowTimesScale,
        unfilteredShortDepth: Bool = false
    ) {
        self.weights = weights
        self.window = window
        self.windowSize = windowSize
        self.border = border
        self.padding = padding
        self.coarsestPadding = coarsestPadding
        self.covariance = covariance
        self.k1 = k1
        self.k2 = k2
        self.dataRange = dataRange
        self.downsampling = downsampling
        self.clamping = clamping
        self.channelPooling = channelPooling
        self.sizeRule = sizeRule
        self.unfilteredShortDepth = unfilteredShortDepth
    }

    /// The SSIM of scale `j` (of ``weights``' count): the contrast-structure term's options below the
    /// coarsest scale, the SSIM's at it.
    func scaleOptions(_ j: Int) -> SSIMOptions {
        SSIMOptions(
            window: window, windowSize: windowSize, border: border, padding: j == weights.count - 1 ? coarsestPadding : padding,
            covariance: covariance, k1: k1, k2: k2, dataRange: dataRange, eps: 0)
    }

    /// Throws ``SSIMError`` unless every setting is usable: weights as ``SSIMError/invalidWeights(_:)``
    /// says, and the per-scale SSIM's as ``SSIMOptions/validate()`` says.
    public func validate() throws {
        guard !weights.isEmpty, weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw SSIMError.invalidWeights(weights) }
        try scaleOptions(0).validate()
    }
}
