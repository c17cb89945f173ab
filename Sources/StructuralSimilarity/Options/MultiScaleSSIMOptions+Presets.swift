/// The multi-scale SSIM of the libraries people compare against: each preset gives what that
/// library returns per image with its default call, measured by
/// `Scripts/make_wang_msssim_fixtures.py` (see <doc:WangMultiScaleSSIM> for the versions and errors).
extension MultiScaleSSIMOptions {
    /// Wang's five weights rounded to `Float`, as libraries that keep them in a float32 tensor use
    /// them.
    static let float32Weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333].map { Double(Float($0)) }

    /// Wang, Simoncelli and Bovik's `msssim.m` (the reference code of the paper): five scales,
    /// the 11-tap Gaussian of sigma 1.5, `filter2(..., 'valid')`, K 0.01/0.03, `L = 255`, the
    /// images halved by `imfilter(img, ones(2) / 4, 'symmetric')` and every other pixel, no
    /// clamping (a negative term gives NaN), and for several channels each channel as the 2-D
    /// code, then their mean; images of at least 176 x 176 (``MultiScaleSizeRule/windowTimesScale``,
    /// as `msssim.m` checks). The default.
    public static let wang = MultiScaleSSIMOptions()

    /// pytorch-msssim 1.0 `ms_ssim(X, Y, size_average=False)` (per image) with its defaults:
    /// `data_range=255`, the 11-tap window of sigma 1.5 built in float32, `VALID` convolutions,
    /// `avg_pool2d(..., padding=s % 2)` between scales, ReLU on every term, the weights in the
    /// images' precision, the product per channel then the mean over channels. Volumes
    /// `(B, C, D, H, W)` as its 5-D `ms_ssim`, whose depth is left unfiltered at the scales where
    /// it is shorter than the window. (pytorch-msssim asserts `min(H, W) > 160` whatever the
    /// number of weights; this preset takes any size its scales fit.)
    public static let pytorchMSSSIM = MultiScaleSSIMOptions(
        window: .gaussianFloat32(sigma: 1.5), dataRange: .value(255), downsampling: .padStartZero, clamping: .relu,
        sizeRule: .everyScaleFits, unfilteredShortDepth: true)

    /// TensorFlow `tf.image.ssim_multiscale(img1, img2, max_val=1.0)` with its defaults:
    /// `filter_size=11`, `filter_sigma=1.5`, `k1=0.01`, `k2=0.03`,
    /// `VALID` convolutions, odd sizes padded symmetrically at the bottom and right before each
    /// 2 x 2 average (as Wang's code halves), ReLU, the product per channel then the mean, images
    /// of at least 161 x 161. TensorFlow computes in float32, with a 2-D float32 window: this
    /// preset is its algorithm in the images' precision with the exact Gaussian (TensorFlow's own
    /// float32 taps move a float64 result by up to about 1e-7). `max_val` has no default there:
    /// set ``dataRange`` to yours.
    public static let tensorflow = MultiScaleSSIMOptions(
        dataRange: .value(1), downsampling: .padEndSymmetric, clamping: .relu, sizeRule: .everyScaleFits)

    /// torchmetrics 1.9 `multiscale_structural_similarity_index_measure(preds, target,
    /// reduction="none")` with its defaults: the 11-tap Gaussian of sigma 1.5 in the input's
    /// precision; the contrast-structure terms averaged over the valid positions and the coarsest
    /// SSIM over its whole `same` map (reflect padding), each over all channels at once (pooled
    /// before the product); `avg_pool2d(x, (2, 2))` between scales (an odd size loses its last
    /// row or column); `normalize="relu"`; the weights kept in float32; and `data_range=None`:
    /// at every scale, the larger `max - min` of the two halved images (``DataRange/inputSpan``).
    /// Images of at least 176 x 176 (torchmetrics' `H // 16 > 10` at five scales).
    public static let torchmetrics = MultiScaleSSIMOptions(
        weights: float32Weights, coarsestPadding: .same, dataRange: .inputSpan, downsampling: .dropLast, clamping: .relu,
        channelPooling: .pooled)

    /// piq 0.8 `multi_scale_ssim(x, y, reduction="none")` with its defaults: `data_range=1.0`,
    /// the 11-tap Gaussian of sigma 1.5, K 0.01/0.03, `VALID` convolutions, a replicated first
    /// row and column when either axis is odd before each 2 x 2 average, ReLU, the product per
    /// channel then the mean, images of at least 161 x 161. (piq divides weights it is given by their sum: do so yourself when
    /// you set other ``weights``.)
    public static let piq = MultiScaleSSIMOptions(
        dataRange: .value(1), downsampling: .padStartReplicate, clamping: .relu, sizeRule: .everyScaleFits)
}

/// The named multi-scale SSIM conventions, for the command line and for listing: each names a
/// preset of ``MultiScaleSSIMOptions``.
///
/// ```swift
/// let convention = MultiScaleSSIMConvention(rawValue: "pytorch-msssim")!
/// let s = try multiScaleSSIM(x, y, options: convention.options)
/// ```
public enum MultiScaleSSIMConvention: String, Sendable, Hashable, CaseIterable {
    case wang
    case pytorchMSSSIM = "pytorch-msssim"
    case tensorflow
    case torchmetrics
    case piq

    /// The preset's options.
    public var options: MultiScaleSSIMOptions {
        switch self {
        case .wang: return .wang
        case .pytorchMSSSIM: return .pytorchMSSSIM
        case .tensorflow: return .tensorflow
        case .torchmetrics: return .torchmetrics
        case .piq: return .piq
        }
    }
}
