#if canImport(_Differentiation)
import _Differentiation

// MARK: 3-D SSIM map and loss: the hand-derived backward (ssim3DBackward)

@derivative(of: ssim3DMapCore, wrt: (img1, img2))
func ssim3DMapCoreVJP<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: SSIM3DConfiguration<Scalar>
) -> (value: Tensor<Scalar>, pullback: (Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>)) {
    let value = ssim3DMapCore(img1, img2, configuration)
    return (value, { upstream in
        volumeGradients(img1, img2, configuration, target: .ssimMap, upstream: upstream.scalars, wantsSecond: true)
    })
}

@derivative(of: ssim3DLossCore, wrt: (img1, img2))
func ssim3DLossCoreVJP<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: SSIM3DConfiguration<Scalar>, _ reduction: Reduction
) -> (value: Tensor<Scalar>, pullback: (Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>)) {
    let value = ssim3DLossCore(img1, img2, configuration, reduction)
    let outputCount = configuration.geometry.outputCount
    return (value, { upstream in
        volumeGradients(img1, img2, configuration, target: .lossMap,
                        upstream: lossWeights(upstream, reduction, outputCount: outputCount), wantsSecond: true)
    })
}
#endif
