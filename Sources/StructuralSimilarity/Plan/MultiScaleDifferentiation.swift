#if canImport(_Differentiation)
import _Differentiation

/// The hand-derived backward of ``MSSSIMLoss`` registered on its non-throwing core (see
/// ``multiScaleBackward(_:_:context:upstream:wantsY:wantsMap:)``).
@derivative(of: msssimLossCore, wrt: (img1, img2))
func msssimLossCoreVJP<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: MultiScaleConfiguration<Scalar>
) -> (value: Tensor<Scalar>, pullback: (Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>)) {
    let value = msssimLossCore(img1, img2, configuration)
    return (value, { upstream in
        msssimLossBackward(img1, img2, configuration, upstream: upstream, wantsTarget: true, wantsValue: false).gradients
    })
}
#endif
