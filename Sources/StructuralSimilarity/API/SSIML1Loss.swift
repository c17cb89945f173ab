#if canImport(_Differentiation)
import _Differentiation
#endif

/// The photometric loss of training code: an SSIM term and an L1 term, mixed per pixel and
/// computed with its gradient in one forward and one backward pass.
///
/// ```
/// loss = ssimWeight * D(SSIM) + l1Weight * |x - y|      at each position of the SSIM map
///
/// D = 1 - SSIM                              (SSIMTerm.oneMinusSSIM)
/// D = clamp((1 - SSIM) / 2, 0, 1)           (SSIMTerm.dssim)
/// ```
///
/// then reduced (`.mean`, `.sum`) or not (`.none`: the per-pixel loss, `(B, C, H, W)`). The SSIM
/// map is that of ``options`` (its window, border, constants); `x` and `y` are the pixels at the
/// map's positions (all of them for `padding: .same`). The presets are the losses of two
/// codebases, checked against their code run with torch in float64 (see
/// <doc:ComponentsAndPhotometricLosses> for the figures):
///
/// - ``gaussianSplatting``: 3D Gaussian splatting (graphdeco-inria/gaussian-splatting,
///   `train.py` and `utils/loss_utils.py`): `(1 - lambda) L1 + lambda (1 - SSIM)`, lambda 0.2,
///   the 11-tap Gaussian of sigma 1.5 (exact, not the codebase's float32 window), a zero border,
///   C1 = 0.01^2, C2 = 0.03^2, no eps.
/// - ``monodepth2``: monodepth2 (nianticlabs/monodepth2, `layers.py` `SSIM` and `trainer.py`
///   `compute_reprojection_loss`): `0.85 clamp((1 - SSIM) / 2, 0, 1) + 0.15 L1`, the 3 x 3 box
///   window (`AvgPool2d(3, 1)`) with a reflect border (`ReflectionPad2d(1)`), no eps. Its
///   per-pixel loss averages the channels (`mean(1, True)`); `.none` here keeps them.
///
/// `1 - SSIM` is computed as twice the clamped `(1 - SSIM) / 2` of ``SSIMLoss``, which keeps
/// its digits for near-identical images; SSIM lies in [-1, 1], so the clamp acts only on
/// rounding.
///
/// ```swift
/// let criterion = SSIML1Loss.gaussianSplatting
/// let loss = try criterion(prediction, target)                            // rank 0
/// let (value, gradient) = try criterion.valueWithGradient(prediction, target)   // d loss / d prediction
/// var custom = try SSIML1Loss(ssimWeight: 0.5, l1Weight: 0.5, ssimTerm: .dssim, options: .kornia, reduction: .none)
/// custom.reduction = .sum
/// ```
public struct SSIML1Loss: ImageComparison, Hashable {
    /// How the SSIM enters the loss.
    public enum SSIMTerm: String, Sendable, Hashable, CaseIterable {
        /// `1 - SSIM` (3D Gaussian splatting).
        case oneMinusSSIM
        /// `clamp((1 - SSIM) / 2, 0, 1)`, Kornia's and monodepth2's DSSIM.
        case dssim
    }

    /// The weight of the SSIM term.
    public var ssimWeight: Double
    /// The weight of the L1 term.
    public var l1Weight: Double
    /// How the SSIM enters the loss.
    public var ssimTerm: SSIMTerm
    /// The SSIM map's settings.
    public var options: SSIMOptions
    /// How the per-pixel loss is reduced.
    public var reduction: Reduction

    /// Checks and holds the loss's parts.
    ///
    /// - Throws: ``SSIMError/invalidLossWeight(name:value:)`` for a weight negative or not
    ///   finite, and the errors of ``SSIMOptions/validate()``.
    public init(ssimWeight: Double, l1Weight: Double, ssimTerm: SSIMTerm, options: SSIMOptions, reduction: Reduction = .mean) throws {
        self.ssimWeight = ssimWeight
        self.l1Weight = l1Weight
        self.ssimTerm = ssimTerm
        self.options = options
        self.reduction = reduction
        try validate()
    }

    /// 3D Gaussian splatting's loss with its `lambda_dssim`: `(1 - lambda) L1 + lambda (1 - SSIM)`.
    ///
    /// - Throws: ``SSIMError/invalidLossWeight(name:value:)`` unless `lambda` is in [0, 1].
    public static func gaussianSplatting(lambda: Double, reduction: Reduction = .mean) throws -> SSIML1Loss {
        let options = SSIMOptions(window: .gaussian(sigma: 1.5), windowSize: 11, border: .zero, padding: .same, eps: 0)
        guard lambda >= 0 && lambda <= 1 else { throw SSIMError.invalidLossWeight(name: "lambda", value: lambda) }
        return try SSIML1Loss(ssimWeight: lambda, l1Weight: 1 - lambda, ssimTerm: .oneMinusSSIM, options: options, reduction: reduction)
    }

    /// 3D Gaussian splatting's loss: lambda 0.2, the mean.
    public static let gaussianSplatting = try! gaussianSplatting(lambda: 0.2)

    /// monodepth2's reprojection loss, `0.85 clamp((1 - SSIM) / 2, 0, 1) + 0.15 L1`, the mean.
    public static let monodepth2 = try! SSIML1Loss(
        ssimWeight: 0.85, l1Weight: 0.15, ssimTerm: .dssim,
        options: SSIMOptions(window: .uniform, windowSize: 3, border: .reflect, padding: .same, eps: 0))

    /// Throws ``SSIMError`` unless the weights are finite and not negative and the options valid.
    public func validate() throws {
        for (name, value) in [("ssimWeight", ssimWeight), ("l1Weight", l1Weight)] where !(value.isFinite && value >= 0) {
            throw SSIMError.invalidLossWeight(name: name, value: value)
        }
        try options.validate()
    }

    /// The loss of `prediction` against `target`: rank 0, or the per-pixel loss for `.none`.
    ///
    /// Differentiable with respect to both images where `_Differentiation` exists (release
    /// builds: see <doc:AutomaticDifferentiation>).
    ///
    /// - Throws: ``SSIMError`` as ``ssim(_:_:options:)``, and for weights out of range.
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try validate()
        let plan = try PlanarPlan.constant(img1, img2, options: options, target: .loss(reduction), mix: mix())
        return evaluate(img1, img2, plan)
    }

    /// The loss and its gradient with respect to `prediction`, from one backward pass (for
    /// `.none`: the gradient of the per-pixel loss's sum).
    public func valueWithGradient<Scalar: SSIMScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>) throws -> (
        value: Tensor<Scalar>, gradient: Tensor<Scalar>
    ) {
        try validate()
        return evaluateWithGradient(prediction, target, try PlanarPlan(prediction, target, options: options, target: .loss(reduction), mix: mix()))
    }

    /// The kernels' mix: their loss statistic is `clamp((1 - SSIM) / 2, 0, 1)`, so `1 - SSIM` is
    /// twice it.
    private func mix<Scalar: SSIMScalar>() -> PhotometricMix<Scalar> {
        PhotometricMix(ssimWeight: Scalar(ssimTerm == .oneMinusSSIM ? 2 * ssimWeight : ssimWeight), l1Weight: Scalar(l1Weight))
    }
}
