#if canImport(_Differentiation)
import _Differentiation
#endif

/// The structural similarity map of two batches of images (Kornia's `metrics.ssim`).
///
/// Each pixel compares the Gaussian-weighted statistics of the two images around it:
///
/// ```
/// mu1 = G * x,  mu2 = G * y,  sigma1 = G * x^2 - mu1^2,  sigma2 = G * y^2 - mu2^2,
/// sigma12 = G * (x y) - mu1 mu2,  C1 = (0.01 maxValue)^2,  C2 = (0.03 maxValue)^2
///
/// SSIM = (2 mu1 mu2 + C1)(2 sigma12 + C2) / ((mu1^2 + mu2^2 + C1)(sigma1 + sigma2 + C2) + eps)
/// ```
///
/// `G` is the separable Gaussian window of ``gaussianWindow(size:sigma:)`` (sigma 1.5),
/// horizontal pass first, with a reflect border that does not repeat the edge pixel. The map is
/// symmetric in the two images. NaN or infinite pixels propagate to the map elements whose
/// window sees them, as in Kornia.
///
/// ```swift
/// let map = try ssim(x, y, windowSize: 11)                     // (B, C, H, W)
/// let cropped = try ssim(x, y, windowSize: 7, padding: .valid) // (B, C, H - 6, W - 6)
/// ```
///
/// - Parameters:
///   - img1: images `(B, C, H, W)`.
///   - img2: images of the same shape.
///   - windowSize: the Gaussian window's size, odd and at least 1 (11 is usual).
///   - maxValue: the dynamic range of the pixels (1 for [0, 1] data, 255 for 8-bit values).
///   - eps: added to the denominator, as Kornia does; 0 gives the textbook SSIM.
///   - padding: `.same` returns a map of the input's size, `.valid` crops `windowSize / 2`
///     pixels from every side.
/// - Returns: the SSIM map, `(B, C, H, W)` or `(B, C, H - 2p, W - 2p)` with `p = windowSize / 2`.
/// - Throws: ``SSIMError`` for a rank other than 4, different shapes, an empty axis, an even or
///   non-positive window, images too small for the window (`same` needs H and W above
///   `windowSize / 2`, `valid` at least `windowSize`), a `maxValue` not finite and positive,
///   an `eps` negative or not finite.
/// - Complexity: O(B C H W windowSize), spread over all cores.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func ssim<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, padding: Padding = .same
) throws -> Tensor<Scalar> {
    let plan = try PlanarPlan(img1.shape, img2.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding, target: .map)
    return evaluate(img1, img2, plan)
}

/// The SSIM map of two batches of images under a convention (``SSIMOptions``): the map whose
/// mean is that library's mean SSIM.
///
/// ```
/// SSIM = (2 mu1 mu2 + C1)(2 sigma12 + C2) / ((mu1^2 + mu2^2 + C1)(sigma1 + sigma2 + C2) + eps)
/// ```
///
/// with the window, border, crop, covariance and constants of `options` (see ``SSIMOptions``),
/// after its grayscale conversion and downsampling (piq: the map at the reduced size).
///
/// ```swift
/// let map = try ssim(x, y, options: .scikitImage)
/// let meanSSIM = map.mean().scalar                   // scikit-image's structural_similarity
/// ```
///
/// - Returns: the SSIM map, `(B, C', H', W')`: `C' = 1` after a grayscale conversion,
///   `H', W'` reduced by the downsampling and by `2 (windowSize / 2)` for `.valid`.
/// - Throws: ``SSIMError`` for images that are not a pair of equal rank-4 shapes, options out
///   of range (see ``SSIMOptions/validate()``), images too small for the window and border,
///   or a data range from constant inputs.
/// - Complexity: O(B C H W windowSize), spread over all cores.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func ssim<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions) throws -> Tensor<Scalar> {
    let plan = try PlanarPlan.constant(img1, img2, options: options, target: .map)
    return evaluate(img1, img2, plan)
}

/// The SSIM map as a value holding its options (Kornia's `metrics.SSIM` module, or any
/// convention of ``SSIMOptions``).
///
/// The options have no scalar type of their own: the same value measures `Float` and `Double`
/// images, each in its own precision.
///
/// ```swift
/// let metric = try SSIM(windowSize: 11, padding: .valid)
/// let map = try metric(x, y)
/// let skimage = try SSIM(options: .scikitImage)       // scikit-image's map
/// ```
public struct SSIM: ImageComparison, Hashable {
    /// Every setting (Kornia's, from ``init(windowSize:maxValue:eps:padding:)``).
    public let options: SSIMOptions

    /// The window's size: odd, at least 1.
    public var windowSize: Int { options.windowSize }
    /// The dynamic range of the pixels: a value, or taken from the inputs.
    public var dataRange: DataRange { options.dataRange }
    /// The dynamic range of the pixels, `nil` when ``SSIMOptions/dataRange`` takes it from the
    /// inputs.
    @available(*, deprecated, renamed: "dataRange", message: "use dataRange, the name the options and the other modules use")
    public var maxValue: Double? { options.maxValue }
    /// Added to the denominator of the SSIM formula.
    public var eps: Double { options.eps }
    /// `.same` or `.valid`.
    public var padding: Padding { options.padding }

    /// Checks and holds the options of ``ssim(_:_:windowSize:maxValue:eps:padding:)``.
    ///
    /// - Throws: ``SSIMError`` for an even or non-positive window, a `maxValue` not finite and
    ///   positive, an `eps` negative or not finite.
    public init(windowSize: Int, maxValue: Double = 1, eps: Double = 1e-12, padding: Padding = .same) throws {
        // Kornia's options with these values, checked as every SSIMOptions is.
        try self.init(options: SSIMOptions(windowSize: windowSize, padding: padding, dataRange: .value(maxValue), eps: eps))
    }

    /// Checks and holds the options of ``ssim(_:_:options:)``.
    ///
    /// - Throws: ``SSIMError`` for options out of range (see ``SSIMOptions/validate()``).
    public init(options: SSIMOptions) throws {
        try options.validate()
        self.options = options
    }

    /// The SSIM map of two batches of images with these options.
    ///
    /// Differentiable with respect to both images where `_Differentiation` exists (use release
    /// builds: see the README on Swift 6.3.1's debug builds).
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let plan = try PlanarPlan.constant(img1, img2, options: options, target: .map)
        return evaluate(img1, img2, plan)
    }
}
