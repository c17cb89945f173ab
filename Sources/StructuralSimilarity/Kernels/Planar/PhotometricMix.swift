/// The photometric mix of ``SSIML1Loss`` in the kernels: the loss map is
///
/// ```
/// ssimWeight * clamp((1 - SSIM) / 2, 0, 1) + l1Weight * |x - y|
/// ```
///
/// at each position of the map (`x`, `y` the pixels there, in their own units). The forward
/// pass mixes each row of the loss statistic with the pixels under it (`ssim_mix_f`); the
/// backward pass scales the upstream of the SSIM term by `ssimWeight` and adds the L1 term's
/// gradient to each finished row of the image gradients (`ssim_l1_gradient_f`).
struct PhotometricMix<Scalar: SSIMScalar>: Sendable {
    let ssimWeight: Scalar
    let l1Weight: Scalar
}
