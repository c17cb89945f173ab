/// Every setting of an SSIM computation: the window, the border, the crop, the moments, the
/// constants and the preprocessing. The presets (``kornia``, ``scikitImage``, ...) reproduce
/// the mean SSIM of other libraries; every field can be changed afterwards.
///
/// ```
/// mu1 = G * x, mu2 = G * y, sigma1 = k (G * x^2 - mu1^2), sigma2 = k (G * y^2 - mu2^2),
/// sigma12 = k (G * (x y) - mu1 mu2),   k = 1 (population) or N / (N - 1) (sample),
/// C1 = (K1 L)^2, C2 = (K2 L)^2
///
/// SSIM = (2 mu1 mu2 + C1)(2 sigma12 + C2) / ((mu1^2 + mu2^2 + C1)(sigma1 + sigma2 + C2) + eps)
/// ```
///
/// `G` is the separable ``window`` of ``windowSize`` taps reading beyond the edges through
/// ``border``; ``padding`` `.valid` crops `windowSize / 2` pixels from every side; `L` is the
/// ``dataRange``. Before that, ``grayscale`` and ``downsampling`` may transform the images.
///
/// ```swift
/// let s = try ssim(x, y, options: .scikitImage)      // the map scikit-image averages
/// var o = SSIMOptions.kornia
/// o.sigma = 2.0; o.windowSize = 13; o.k1 = 0.01; o.k2 = 0.03
/// o.border = .replicate; o.covariance = .sample
/// let loss = try ssimLoss(x, y, options: o, reduction: .mean)
/// ```
public struct SSIMOptions: Sendable, Hashable {
    /// The window's shape: Gaussian of some sigma, or uniform.
    public var window: SSIMWindow
    /// Taps per axis: odd, at least 1.
    public var windowSize: Int
    /// What the filters read beyond the edges (matters only for `padding: .same`).
    public var border: Border
    /// `.same`: a map of the (preprocessed) input's size; `.valid`: `windowSize / 2` cropped
    /// from every side, the positions whose window lies inside the image (scikit-image's
    /// `pad = (win_size - 1) // 2` crop, the `VALID` convolutions of TensorFlow, piq and
    /// pytorch-msssim).
    public var padding: Padding
    /// Population or sample (scikit-image) variances and covariance.
    public var covariance: Covariance
    /// `C1 = (k1 L)^2`.
    public var k1: Double
    /// `C2 = (k2 L)^2`.
    public var k2: Double
    /// The dynamic range `L`.
    public var dataRange: DataRange
    /// Added to the denominator (Kornia's `eps`; 0 in every other library).
    public var eps: Double
    /// piq's automatic average pooling, or none.
    public var downsampling: Downsampling
    /// A conversion of RGB to one channel before SSIM, or none.
    public var grayscale: GrayscaleConversion
    /// MATLAB's `Exponents` of the general form `l^alpha c^beta s^gamma` (all 1: the usual SSIM).
    public var exponents: SSIMExponents
    /// MATLAB's `RegularizationConstants` [C1 C2 C3] in the images' units, or `nil` for
    /// `C1 = (k1 L)^2`, `C2 = (k2 L)^2`, `C3 = C2 / 2`.
    public var regularizationConstants: SSIMRegularizationConstants?

    /// Options from every field; the defaults are Kornia's.
    public init(
        window: SSIMWindow = .gaussian(sigma: 1.5), windowSize: Int = 11, border: Border = .reflect,
        padding: Padding = .same, covariance: Covariance = .population, k1: Double = 0.01, k2: Double = 0.03,
        dataRange: DataRange = .value(1), eps: Double = 1e-12, downsampling: Downsampling = .none,
        grayscale: GrayscaleConversion = .none, exponents: SSIMExponents = .one,
        regularizationConstants: SSIMRegularizationConstants? = nil
    ) {
        self.window = window
        self.windowSize = windowSize
        self.border = border
        self.padding = padding
        self.covariance = covariance
        self.k1 = k1
        self.k2 = k2
        self.dataRange = dataRange
        self.eps = eps
        self.downsampling = downsampling
        self.grayscale = grayscale
        self.exponents = exponents
        self.regularizationConstants = regularizationConstants
    }

    /// The Gaussian's standard deviation (`nil` for the uniform window). Setting it makes the
    /// window Gaussian (keeping `gaussianFloat32` if it was that); the window size is not
    /// changed (the peers' rules: scikit-image and torchmetrics `2 int(3.5 sigma + 0.5) + 1`,
    /// MATLAB `2 ceil(3 sigma) + 1`).
    public var sigma: Double? {
        get { window.sigma }
        set {
            guard let newValue else { window = .uniform; return }
            if case .gaussianFloat32 = window { window = .gaussianFloat32(sigma: newValue) } else { window = .gaussian(sigma: newValue) }
        }
    }

    /// The fixed data range, or `nil` for ``DataRange/inputSpan``.
    public var maxValue: Double? {
        if case let .value(range) = dataRange { return range }
        return nil
    }

    /// Throws ``SSIMError`` unless every setting is usable: an odd window of at least 1 tap
    /// (at least 3 for the sample covariance, which divides by `N - 1`), a finite positive
    /// sigma, finite non-negative `k1`, `k2` and `eps`, a finite positive data range, finite
    /// non-negative exponents and regularization constants.
    public func validate() throws {
        try checkWindowSize(windowSize)
        if let sigma = window.sigma, !(sigma.isFinite && sigma > 0) {
            throw SSIMError.invalidSigma(sigma)
        }
        if covariance == .sample && windowSize < 2 {
            throw SSIMError.sampleCovarianceNeedsLargerWindow(windowSize: windowSize)
        }
        for (name, k) in [("k1", k1), ("k2", k2)] where !(k.isFinite && k >= 0) {
            throw SSIMError.invalidConstant(name: name, value: k)
        }
        if case let .value(range) = dataRange { try checkRange(maxValue: range, eps: eps) } else { try checkRange(maxValue: 1.0, eps: eps) }
        try exponents.validate()
        try regularizationConstants?.validate()
    }
}
