#if canImport(_Differentiation)
import _Differentiation
#endif

/// A comparison of two batches of images or volumes held with its options, as Kornia's
/// `nn.Module`s are: ``SSIM``, ``SSIMLoss``, ``SSIM3D``, ``SSIM3DLoss`` and ``MSSSIMLoss``.
///
/// Calling it checks the shapes, computes in the images' own precision (`Float` or `Double`),
/// and is differentiable with respect to both images where `_Differentiation` exists (in
/// release builds: see <doc:AutomaticDifferentiation>). Code that takes any comparison, a
/// training loop for example, is written once:
///
/// ```swift
/// func meanOf<C: ImageComparison>(_ comparison: C, _ a: Tensor<Float>, _ b: Tensor<Float>) throws -> Float {
///     try comparison(a, b).mean().scalar
/// }
/// let similarity = try meanOf(SSIM(options: .scikitImage), x, y)
/// let loss = try meanOf(MSSSIMLoss(), x, y)
/// ```
public protocol ImageComparison: Sendable {
    /// The comparison of `img1` and `img2`: a map, or a reduced loss of rank 0.
    ///
    /// - Throws: ``SSIMError`` for shapes the comparison does not take.
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar>
}
