#if canImport(_Differentiation)
import _Differentiation
#endif

/// The 3-D SSIM loss of two batches of volumes (Kornia's `losses.ssim3d_loss`): the structural
/// dissimilarity (DSSIM) of every voxel, reduced.
///
/// ```
/// loss map = clamp((1 - SSIM) / 2, 0, 1)
/// mean: sum(loss map) / count,   sum: sum(loss map),   none: the loss map
/// ```
///
/// `SSIM` is the map of ``ssim3D(_:_:windowSize:maxValue:eps:padding:)``. Sums are accumulated
/// in `Double` for both scalar types.
///
/// ```swift
/// let loss = try ssim3DLoss(v1, v2, windowSize: 7, reduction: .mean, padding: .valid)   // rank 0
/// print(loss.scalar)
/// ```
///
/// - Parameters:
///   - img1: volumes `(B, C, D, H, W)`.
///   - img2: volumes of the same shape.
///   - windowSize: the Gaussian window's size along each axis, odd and at least 1.
///   - maxValue: the dynamic range of the voxels (1 for [0, 1] data, 255 for 8-bit values).
///   - eps: added to the SSIM denominator, as Kornia does.
///   - reduction: `.mean` (default) and `.sum` return a rank-0 tensor, `.none` the loss map.
///   - padding: `.same` (a map of the input's size) or `.valid` (`windowSize / 2` cropped from
///     every side of D, H and W).
/// - Returns: the reduced loss, or the loss map for `.none`.
/// - Throws: ``SSIMError``, as ``ssim3D(_:_:windowSize:maxValue:eps:padding:)``.
/// - Complexity: O(B C D H W windowSize), spread over all cores; `.mean` and `.sum` keep no map.
#if canImport(_Differentiation)
@differentiable(reverse, wrt: (img1, img2))
#endif
public func ssim3DLoss<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, reduction: Reduction = .mean, padding: Padding = .same
) throws -> Tensor<Scalar> {
    let configuration = try SSIM3DConfiguration(
        img1.shape, img2.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding)
    return ssim3DLossCore(img1, img2, configuration, reduction)
}

/// The 3-D SSIM loss and its gradient with respect to the first volume, in one forward and one
/// backward pass, without automatic differentiation (every toolchain has it).
///
/// For `.none` the gradient is that of the sum of the loss map (torch's `backward` with a
/// tensor of ones). The clamp of the loss passes the gradient where `0 <= (1 - SSIM)/2 <= 1`
/// and zeroes it elsewhere, as torch does.
///
/// ```swift
/// let (value, gradient) = try ssim3DLossWithGradient(prediction, target, windowSize: 7)
/// // gradient: d value / d prediction, the shape of prediction
/// ```
///
/// - Returns: `value` as ``ssim3DLoss(_:_:windowSize:maxValue:eps:reduction:padding:)`` returns
///   it, and `gradient`, the shape of `prediction`.
/// - Throws: ``SSIMError``, as ``ssim3D(_:_:windowSize:maxValue:eps:padding:)``.
/// - Complexity: O(B C D H W windowSize); besides the gradient it keeps four arrays of the
///   output's size (the partials of the moments) until the backward pass ends.
public func ssim3DLossWithGradient<Scalar: SSIMScalar>(
    _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, reduction: Reduction = .mean, padding: Padding = .same
) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    let configuration = try SSIM3DConfiguration(
        prediction.shape, target.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding)
    let outputCount = configuration.geometry.outputCount
    // The backward pass sums the loss on its way, exactly as the forward pass does; only the
    // loss map of `.none` needs the forward pass.
    let (dx, _, sum) = ssim3DBackward(
        prediction.scalars, target.scalars, geometry: configuration.geometry, constants: configuration.constants,
        target: .lossMap, upstream: lossWeights(Tensor(1), reduction, outputCount: outputCount), wantsY: false)
    let value = reduction == .none
        ? ssim3DLossCore(prediction, target, configuration, .none)
        : reducedLoss(sum, reduction, outputCount: outputCount)
    return (value, Tensor(uncheckedShape: prediction.shape, scalars: dx))
}

/// The 3-D SSIM loss with validated arguments: the function that carries the derivative.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssim3DLossCore<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: SSIM3DConfiguration<Scalar>, _ reduction: Reduction
) -> Tensor<Scalar> {
    let v = configuration.geometry
    let output: ForwardOutput = reduction == .none ? .lossMap : .lossSum
    let (map, sum) = ssim3DForward(img1.scalars, img2.scalars, geometry: v, constants: configuration.constants, output: output)
    return reduction == .none
        ? Tensor(uncheckedShape: v.outputShape, scalars: map)
        : reducedLoss(sum, reduction, outputCount: v.outputCount)
}

/// The 3-D SSIM loss as a value holding its options (Kornia's `losses.SSIM3DLoss` module).
///
/// The options have no scalar type of their own: the same value serves `Float` and `Double`
/// volumes.
///
/// ```swift
/// let criterion = try SSIM3DLoss(windowSize: 7)
/// let value = try criterion(prediction, target)
/// let (loss, gradient) = try criterion.valueWithGradient(prediction, target)
/// ```
public struct SSIM3DLoss: Sendable, Hashable {
    /// The Gaussian window's size along each axis: odd, at least 1.
    public let windowSize: Int
    /// The dynamic range of the voxels.
    public let maxValue: Double
    /// Added to the denominator of the SSIM formula.
    public let eps: Double
    /// How the loss map is reduced.
    public let reduction: Reduction
    /// `.same` or `.valid`.
    public let padding: Padding

    /// Checks and holds the options of ``ssim3DLoss(_:_:windowSize:maxValue:eps:reduction:padding:)``.
    ///
    /// - Throws: ``SSIMError`` for an even or non-positive window, a `maxValue` not finite and
    ///   positive, an `eps` negative or not finite.
    public init(windowSize: Int, maxValue: Double = 1, eps: Double = 1e-12, reduction: Reduction = .mean, padding: Padding = .same) throws {
        try checkWindowSize(windowSize)
        try checkRange(maxValue: maxValue, eps: eps)
        self.windowSize = windowSize
        self.maxValue = maxValue
        self.eps = eps
        self.reduction = reduction
        self.padding = padding
    }

    /// The loss of two batches of volumes with these options.
    ///
    /// Differentiable with respect to both volumes where `_Differentiation` exists (use release
    /// builds: see the README on Swift 6.3.1's debug builds).
    #if canImport(_Differentiation)
    @differentiable(reverse, wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let configuration = try SSIM3DConfiguration(
            img1.shape, img2.shape, windowSize: windowSize, maxValue: Scalar(maxValue), eps: Scalar(eps), padding: padding)
        return ssim3DLossCore(img1, img2, configuration, reduction)
    }

    /// The loss and its gradient with respect to `prediction`
    /// (see ``ssim3DLossWithGradient(_:_:windowSize:maxValue:eps:reduction:padding:)``).
    public func valueWithGradient<Scalar: SSIMScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
        try ssim3DLossWithGradient(prediction, target, windowSize: windowSize, maxValue: Scalar(maxValue), eps: Scalar(eps), reduction: reduction, padding: padding)
    }
}

/// Runs the 3-D backward kernel for `sum(upstream * target map)` and wraps its gradients in
/// tensors of the volumes' shape (the second one empty unless `wantsSecond`).
func volumeGradients<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: SSIM3DConfiguration<Scalar>,
    target: BackwardTarget, upstream: [Scalar], wantsSecond: Bool
) -> (Tensor<Scalar>, Tensor<Scalar>) {
    let (dx, dy, _) = ssim3DBackward(
        img1.scalars, img2.scalars, geometry: configuration.geometry, constants: configuration.constants,
        target: target, upstream: upstream, wantsY: wantsSecond)
    let second = wantsSecond ? Tensor(uncheckedShape: img2.shape, scalars: dy) : Tensor(uncheckedShape: [0], scalars: [])
    return (Tensor(uncheckedShape: img1.shape, scalars: dx), second)
}
