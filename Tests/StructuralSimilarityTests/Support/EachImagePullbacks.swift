@testable import StructuralSimilarity
#if canImport(_Differentiation)
import _Differentiation

/// A public comparison of two images or volumes whose `callAsFunction` throws and is
/// differentiable with respect to both: ``SSIM``, ``SSIMLoss``, ``SSIM3D``, ``SSIM3DLoss``,
/// ``MSSSIMLoss``, ``MultiScaleSSIM``, ``MultiScaleSSIMLoss``, ``SSIML1Loss``. Lets one helper, ``pullbacksOfEachImage(through:at:_:seed:)``, take the
/// pullbacks through any of them.
protocol DifferentiableImageComparison {
    @differentiable(reverse,wrt: (img1, img2))
    func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar>
}

extension SSIM: DifferentiableImageComparison {}
extension SSIMLoss: DifferentiableImageComparison {}
extension SSIM3D: DifferentiableImageComparison {}
extension SSIM3DLoss: DifferentiableImageComparison {}
extension MSSSIMLoss: DifferentiableImageComparison {}
extension MultiScaleSSIM: DifferentiableImageComparison {}
extension MultiScaleSSIMLoss: DifferentiableImageComparison {}
extension SSIML1Loss: DifferentiableImageComparison {}

/// The pullbacks of `comparison` at `(x, y)` applied to `seed`, with respect to each image in
/// turn: `(J_x^T seed, J_y^T seed)`, where `J_x` is the Jacobian of `comparison(x, y)` with
/// respect to `x`.
///
/// A seed of 1 for a reduced loss (ones of the output's shape for `.none`) is torch's
/// `loss.backward()`; a seed of weights `w` of the map's shape gives the gradient of
/// `sum(w * map)`. One image at a time because at -O Swift 6.3.1 crashes compiling a pullback
/// through the throwing API with respect to both at once
/// (`Scripts/autodiff-both-images-repro.sh`); release builds only, as Swift 6.3.1's debug builds
/// miscompile pullbacks through throwing differentiable functions (see `GradientTests`). Call it
/// from a helper or a test body: its closures stay out of the `@Test` bodies.
///
/// ```swift
/// let criterion = try SSIMLoss(windowSize: 11)
/// let (g1, g2) = try pullbacksOfEachImage(through: criterion, at: x, y, seed: Tensor(1.0))
/// ```
func pullbacksOfEachImage<Comparison: DifferentiableImageComparison>(
    through comparison: Comparison, at x: Tensor<Double>, _ y: Tensor<Double>, seed: Tensor<Double>
) throws -> (Tensor<Double>, Tensor<Double>) {
    let (_, pullback1) = try valueWithPullback(at: x) { a in try comparison(a, y) }
    let (_, pullback2) = try valueWithPullback(at: y) { b in try comparison(x, b) }
    return (pullback1(seed), pullback2(seed))
}
#endif

/// The seed of torch's `loss.backward()`: 1 for a reduced loss, ones of the loss's shape for
/// `.none`.
func backwardSeed(_ reduction: Reduction, outputShape: [Int]) throws -> Tensor<Double> {
    reduction == .none ? try Tensor(shape: outputShape, repeating: 1.0) : Tensor(1.0)
}
