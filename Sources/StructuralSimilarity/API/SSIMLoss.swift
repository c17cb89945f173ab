#if canImport(_Differentiation)
import _Differentiation
#endif

/// The SSIM loss of two batches of images (Kornia's `losses.ssim_loss`): the structural
/// dissimilarity (DSSIM) of every pixel, reduced.
///
/// ```
/// loss map = clamp((1 - SSIM) / 2, 0, 1)
/// mean: sum(loss map) / count,   sum: sum(loss map),   none: the loss map
/// ```
///
/// `SSIM` is the map of ``ssim(_:_:windowSize:maxValue:eps:padding:)``. Because `eps` is added
/// to the denominator, identical images score slightly above 0 (5.6e-6 for black images at the
/// defaults), as in Kornia. Sums are accumulated in `Double` for both scalar types.
///
/// ```swift
/// let loss = try ssimLoss(x, y, windowSize: 11)                    // rank 0: mean DSSIM
/// print(loss.scalar)
/// let perPixel = try ssimLoss(x, y, windowSize: 7, maxValue: 255, eps: 0,
///                             reduction: .none, padding: .valid)   // (B, C, H - 6, W - 6)
/// ```
///
/// - Parameters:
///   - img1: images `(B, C, H, W)`.
///   - img2: images of the same shape.
///   - windowSize: the Gaussian window's size, odd and at least 1 (11 is usual).
///   - maxValue: the dynamic range of the pixels (1 for [0, 1] data, 255 for 8-bit values).
///   - eps: added to the SSIM denominator, as Kornia does.
///   - reduction: `.mean` (default) and `.sum` return a rank-0 tensor, `.none` the loss map.
///   - padding: `.same` (a map of the input's size) or `.valid` (`windowSize / 2` cropped from
///     every side).
/// - Returns: the reduced loss, or the loss map for `.none`.
/// - Throws: ``SSIMError``, as ``ssim(_:_:windowSize:maxValue:eps:padding:)``.
/// - Complexity: O(B C H W windowSize), spread over all cores; `.mean` and `.sum` keep no map.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func ssimLoss<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, reduction: Reduction = .mean, padding: Padding = .same
) throws -> Tensor<Scalar> {
    let plan = try PlanarPlan(
        img1.shape, img2.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding, target: .loss(reduction))
    return evaluate(img1, img2, plan)
}

/// The SSIM loss and its gradient with respect to the first image, in one forward and one
/// backward pass, without automatic differentiation (every toolchain has it).
///
/// For `.none` the gradient is that of the sum of the loss map (torch's `backward` with a
/// tensor of ones). The clamp of the loss passes the gradient where `0 <= (1 - SSIM)/2 <= 1`
/// and zeroes it elsewhere, as torch does.
///
/// ```swift
/// let (value, gradient) = try ssimLossWithGradient(prediction, target, windowSize: 11)
/// // gradient: d value / d prediction, the shape of prediction
/// ```
///
/// - Returns: `value` as ``ssimLoss(_:_:windowSize:maxValue:eps:reduction:padding:)`` returns
///   it, and `gradient`, the shape of `prediction`.
/// - Throws: ``SSIMError``, as ``ssim(_:_:windowSize:maxValue:eps:padding:)``.
public func ssimLossWithGradient<Scalar: SSIMScalar>(
    _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, reduction: Reduction = .mean, padding: Padding = .same
) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    let plan = try PlanarPlan(
        prediction.shape, target.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding,
        target: .loss(reduction))
    return evaluateWithGradient(prediction, target, plan)
}

/// The SSIM loss (`clamp((1 - SSIM) / 2, 0, 1)`, reduced) under a convention: as
/// ``ssimLoss(_:_:windowSize:maxValue:eps:reduction:padding:)`` with the SSIM map of
/// ``ssim(_:_:options:)``.
///
/// ```swift
/// var o = SSIMOptions.kornia
/// o.border = .replicate
/// let loss = try ssimLoss(x, y, options: o, reduction: .mean)
/// ```
///
/// - Throws: ``SSIMError``, as ``ssim(_:_:options:)``.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func ssimLoss<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions, reduction: Reduction = .mean
) throws -> Tensor<Scalar> {
    let plan = try PlanarPlan.constant(img1, img2, options: options, target: .loss(reduction))
    return evaluate(img1, img2, plan)
}

/// The SSIM loss under a convention and its gradient with respect to `prediction`, without
/// automatic differentiation (see ``ssimLossWithGradient(_:_:windowSize:maxValue:eps:reduction:padding:)``).
/// The gradient goes back through the grayscale conversion and the pooling; a data range taken
/// from the inputs is held constant.
///
/// ```swift
/// let (value, gradient) = try ssimLossWithGradient(prediction, target, options: .scikitImage)
/// ```
///
/// - Throws: ``SSIMError``, as ``ssim(_:_:options:)``.
public func ssimLossWithGradient<Scalar: SSIMScalar>(
    _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>, options: SSIMOptions, reduction: Reduction = .mean
) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    let plan = try PlanarPlan(prediction, target, options: options, target: .loss(reduction))
    return evaluateWithGradient(prediction, target, plan)
}

/// The SSIM loss as a value holding its options (Kornia's `losses.SSIMLoss` module, or any
/// convention of ``SSIMOptions``).
///
/// The options have no scalar type of their own: the same value serves `Float` and `Double`
/// images.
///
/// ```swift
/// let criterion = try SSIMLoss(windowSize: 11, reduction: .sum)
/// let value = try criterion(prediction, target)
/// let piq = try SSIMLoss(options: .piq)                 // DSSIM of piq's SSIM map
/// ```
public struct SSIMLoss: ImageComparison, Hashable {
    /// Every setting of the SSIM map (Kornia's, from ``init(windowSize:maxValue:eps:reduction:padding:)``).
    public let options: SSIMOptions
    /// How the loss map is reduced.
    public let reduction: Reduction

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

    /// Checks and holds the options of ``ssimLoss(_:_:windowSize:maxValue:eps:reduction:padding:)``.
    ///
    /// - Throws: ``SSIMError`` for an even or non-positive window, a `maxValue` not finite and
    ///   positive, an `eps` negative or not finite.
    public init(windowSize: Int, maxValue: Double = 1, eps: Double = 1e-12, reduction: Reduction = .mean, padding: Padding = .same) throws {
        // Kornia's options with these values, checked as every SSIMOptions is.
        try self.init(
            options: SSIMOptions(windowSize: windowSize, padding: padding, dataRange: .value(maxValue), eps: eps),
            reduction: reduction)
    }

    /// Checks and holds the options of ``ssimLoss(_:_:options:reduction:)``.
    ///
    /// - Throws: ``SSIMError`` for options out of range (see ``SSIMOptions/validate()``).
    public init(options: SSIMOptions, reduction: Reduction = .mean) throws {
        try options.validate()
        self.options = options
        self.reduction = reduction
    }

    /// The loss of two batches of images with these options.
    ///
    /// Differentiable with respect to both images where `_Differentiation` exists (use release
    /// builds: see the README on Swift 6.3.1's debug builds).
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let plan = try PlanarPlan.constant(img1, img2, options: options, target: .loss(reduction))
        return evaluate(img1, img2, plan)
    }

    /// The loss and its gradient with respect to `prediction`
    /// (see ``ssimLossWithGradient(_:_:options:reduction:)``).
    public func valueWithGradient<Scalar: SSIMScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>) throws -> (
        value: Tensor<Scalar>, gradient: Tensor<Scalar>
    ) {
        evaluateWithGradient(prediction, target, try PlanarPlan(prediction, target, options: options, target: .loss(reduction)))
    }
}
