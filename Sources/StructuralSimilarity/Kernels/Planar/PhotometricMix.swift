/// The photometric mix of ``SSIML1Loss`` in the kernels: the loss map is
///
/// ```
/// ssimWeight * clamp((1 - SSIM) / 2, 0, 1) + l1Weight * |x - y|
/// ```
///
/// at each position of the map (`x`, `y` the pixels there, in their own units). The mix costs
/// no pass over memory of its own: the kernels that write the loss row mix it as they store it
/// (`ssim_formula_mix_f` forward, `ssim_partials_mix_f` backward, which also scales the SSIM
/// term's upstream by `ssimWeight`), and the kernel that writes each row of the image gradients
/// adds the L1 term's gradient as it stores it (`ssim_combine_l1_f`).
struct PhotometricMix<Scalar: SSIMScalar>: Sendable {
    let ssimWeight: Scalar
    let l1Weight: Scalar
}
