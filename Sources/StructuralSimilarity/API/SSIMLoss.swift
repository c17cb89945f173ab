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
@differentiable(reverse, wrt: (img1, img2))
#endif
public func ssimLoss<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, reduction: Reduction = .mean, padding: Padding = .same
) throws -> Tensor<Scalar> {
    let configuration = try SSIMConfiguration(
        img1.shape, img2.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding)
    return ssimLossCore(img1, img2, configuration, reduction)
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
    let configuration = try SSIMConfiguration(
        prediction.shape, target.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding)
    // The backward pass sums the loss on its way, exactly as the forward pass does; only the
    // loss map of `.none` needs the forward pass.
    let (dx, _, sum) = ssimBackward(
        prediction.scalars, target.scalars, geometry: configuration.geometry, constants: configuration.constants,
        target: .lossMap, upstream: lossWeights(Tensor(1), reduction, configuration), wantsY: false)
    let value = reduction == .none
        ? ssimLossCore(prediction, target, configuration, .none)
        : reducedLoss(sum, reduction, configuration)
    return (value, Tensor(uncheckedShape: prediction.shape, scalars: dx))
}

/// The SSIM loss with validated arguments: the function that carries the derivative.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimLossCore<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: SSIMConfiguration<Scalar>, _ reduction: Reduction
) -> Tensor<Scalar> {
    let g = configuration.geometry
    let output: ForwardOutput = reduction == .none ? .lossMap : .lossSum
    let (map, sum) = ssimForward(img1.scalars, img2.scalars, geometry: g, constants: configuration.constants, output: output)
    return reduction == .none ? Tensor(uncheckedShape: g.outputShape, scalars: map) : reducedLoss(sum, reduction, configuration)
}

/// The rank-0 loss from the sum of the loss map: the sum itself, or the mean.
func reducedLoss<Scalar: SSIMScalar>(_ sum: Double, _ reduction: Reduction, _ configuration: SSIMConfiguration<Scalar>) -> Tensor<Scalar> {
    reducedLoss(sum, reduction, outputCount: configuration.geometry.outputCount)
}

/// The rank-0 loss from the sum of a loss map of `outputCount` elements (2-D or 3-D).
func reducedLoss<Scalar: SSIMScalar>(_ sum: Double, _ reduction: Reduction, outputCount: Int) -> Tensor<Scalar> {
    Tensor(Scalar(reduction == .mean ? sum / Double(outputCount) : sum))
}

/// The weight of each loss-map element in the reduced loss times `upstream`: the backward
/// kernel's upstream (one value used for every element, or one per element for `.none`).
func lossWeights<Scalar: SSIMScalar>(_ upstream: Tensor<Scalar>, _ reduction: Reduction, _ configuration: SSIMConfiguration<Scalar>) -> [Scalar] {
    lossWeights(upstream, reduction, outputCount: configuration.geometry.outputCount)
}

/// The weights of ``lossWeights(_:_:_:)`` for a loss map of `outputCount` elements (2-D or 3-D).
func lossWeights<Scalar: SSIMScalar>(_ upstream: Tensor<Scalar>, _ reduction: Reduction, outputCount: Int) -> [Scalar] {
    reduction == .mean ? [upstream.scalars[0] / Scalar(outputCount)] : upstream.scalars
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
public struct SSIMLoss: Sendable, Hashable {
    /// Every setting of the SSIM map (Kornia's, from ``init(windowSize:maxValue:eps:reduction:padding:)``).
    public let options: SSIMOptions
    /// How the loss map is reduced.
    public let reduction: Reduction

    /// The window's size: odd, at least 1.
    public var windowSize: Int { options.windowSize }
    /// The dynamic range of the pixels (NaN when ``SSIMOptions/dataRange`` takes it from the inputs).
    public var maxValue: Double { options.maxValue ?? .nan }
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
    @differentiable(reverse, wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let plan = try SSIMPlan.constant(img1, img2, options: options)
        return ssimLossCore(preprocessCore(img1, plan.preprocessing), preprocessCore(img2, plan.preprocessing), plan.configuration, reduction)
    }

    /// The loss and its gradient with respect to `prediction`
    /// (see ``ssimLossWithGradient(_:_:options:reduction:)``).
    public func valueWithGradient<Scalar: SSIMScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
        try ssimLossWithGradient(prediction, target, options: options, reduction: reduction)
    }
}

/// The gradients of `sum(upstream * loss)` with respect to both images, where `upstream` is
/// one value for a reduced loss (the seed) or one per element for `.none`.
func ssimLossBackward<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: SSIMConfiguration<Scalar>,
    _ reduction: Reduction, upstream: Tensor<Scalar>, wantsTarget: Bool
) -> (Tensor<Scalar>, Tensor<Scalar>) {
    imageGradients(img1, img2, configuration, target: .lossMap, upstream: lossWeights(upstream, reduction, configuration), wantsSecond: wantsTarget)
}

/// Runs the backward kernel and wraps its gradients in tensors of the images' shape (the second
/// one empty unless `wantsSecond`).
func imageGradients<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: SSIMConfiguration<Scalar>,
    target: BackwardTarget, upstream: [Scalar], wantsSecond: Bool
) -> (Tensor<Scalar>, Tensor<Scalar>) {
    let (dx, dy, _) = ssimBackward(
        img1.scalars, img2.scalars, geometry: configuration.geometry, constants: configuration.constants,
        target: target, upstream: upstream, wantsY: wantsSecond)
    let second = wantsSecond ? Tensor(uncheckedShape: img2.shape, scalars: dy) : Tensor(uncheckedShape: [0], scalars: [])
    return (Tensor(uncheckedShape: img1.shape, scalars: dx), second)
}
