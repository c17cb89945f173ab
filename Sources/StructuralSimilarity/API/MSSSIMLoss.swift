#if canImport(_Differentiation)
import _Differentiation
#endif

/// The MS-SSIM + L1 loss of Zhao et al. (Kornia's `losses.MS_SSIMLoss`): every scale at full
/// resolution, one Gaussian per entry of `sigmas`, images zero-padded by `pad = int(2 sigmas.last)`.
///
/// Per batch element, channel `c` and pixel (all moments filtered with the zero-padded
/// `2 pad + 1`-tap Gaussian mask of each scale `s`; `lc` at the last, coarsest, scale `M`):
///
/// ```
/// lc_s = (2 mx my + C1) / (mx^2 + my^2 + C1),   cs_s = (2 sxy + C2) / (sx + sy + C2)
/// P_c  = lc_M * prod_s cs_s                        C1 = (K1 L)^2, C2 = (K2 L)^2, no eps
/// loss = compensation * (alpha (1 - mean_c P_c) + (1 - alpha) mean_c (G_M * |x - y|) / L)
/// ```
///
/// `reduction` `.none` returns the `(B, H, W)` map, `.mean` and `.sum` a rank-0 tensor. The two
/// images are `(B, C, H, W)` with equal `(C, H, W)`; their batch sizes must match or one be 1,
/// and that image is then compared with every image of the other batch. Any image size works
/// (the zero border allows images smaller than the window).
///
/// The Gaussian masks are Kornia's float32-rounded ones by default (see ``MSSSIMMasks``):
/// `Double` matches Kornia's float64 to about 1e-15 relative, `Float` its float64 to within 1e-6
/// (Kornia's own float32 is up to 1e-4 off, and 3e-2 on near-identical images).
/// The masks are separable (33 + 33 taps per pixel and moment at the defaults, not 33 x 33),
/// bands of rows run on all cores and sums are combined in a fixed order, so results do not
/// depend on the number of threads.
///
/// ```swift
/// let criterion = try MSSSIMLoss()                                   // Kornia's defaults
/// let loss = try criterion(prediction, target)                       // rank 0
/// let (value, gradient) = try criterion.valueWithGradient(prediction, target)
/// let map = try MSSSIMLoss(sigmas: [1, 2], dataRange: 255, reduction: .none)(a, b)   // (B, H, W)
/// ```
///
/// - Complexity: O(B C H W S pad) for S scales, spread over all cores; `Double` images with
///   `.kornia` masks add a dense correction of up to O(B C H W S pad^2) (`.exact` has none).
public struct MSSSIMLoss: ImageComparison, Hashable {
    /// The Gaussian sigma of each scale, in pixels; the last is the coarsest: it sets the window
    /// (`2 int(2 sigma) + 1` taps), the luminance term and the L1 term's Gaussian.
    public let sigmas: [Double]
    /// The range of the pixels `L` (1 for [0, 1] data, 255 for 8-bit values): sets C1 and C2 and
    /// divides the L1 term.
    public let dataRange: Double
    /// `K1` of `C1 = (K1 L)^2`.
    public let k1: Double
    /// `K2` of `C2 = (K2 L)^2`.
    public let k2: Double
    /// The weight of the MS-SSIM term; the L1 term gets `1 - alpha`.
    public let alpha: Double
    /// The factor the loss is multiplied by.
    public let compensation: Double
    /// How the `(B, H, W)` loss map is reduced.
    public let reduction: Reduction
    /// Kornia's float32-rounded masks or exact float64 ones.
    public let masks: MSSSIMMasks

    /// `(K1, K2)`.
    public var k: (Double, Double) { (k1, k2) }

    /// Checks and holds the options (Kornia's defaults for every one).
    ///
    /// - Throws: ``SSIMError/invalidSigmas(_:)`` for empty sigmas or one not finite and positive
    ///   (or above 64: a window of more than 257 taps, whose dense masks would cost too much); ``SSIMError/invalidDataRange(_:)`` for a
    ///   `dataRange` not finite and positive; ``SSIMError/invalidConstants(k1:k2:)`` for a `k` not finite; ``SSIMError/invalidAlpha(_:)``
    ///   outside `[0, 1]`; ``SSIMError/invalidCompensation(_:)`` when not finite.
    public init(
        sigmas: [Double] = [0.5, 1, 2, 4, 8], dataRange: Double = 1, k: (Double, Double) = (0.01, 0.03),
        alpha: Double = 0.025, compensation: Double = 200, reduction: Reduction = .mean, masks: MSSSIMMasks = .kornia
    ) throws {
        guard !sigmas.isEmpty, sigmas.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 64 }) else {
            throw SSIMError.invalidSigmas(sigmas)
        }
        guard dataRange.isFinite, dataRange > 0 else { throw SSIMError.invalidDataRange(dataRange) }
        guard k.0.isFinite, k.1.isFinite else { throw SSIMError.invalidConstants(k1: k.0, k2: k.1) }
        guard alpha >= 0, alpha <= 1 else { throw SSIMError.invalidAlpha(alpha) }
        guard compensation.isFinite else { throw SSIMError.invalidCompensation(compensation) }
        self.sigmas = sigmas
        self.dataRange = dataRange
        (k1, k2) = k
        self.alpha = alpha
        self.compensation = compensation
        self.reduction = reduction
        self.masks = masks
    }

    /// The loss of two batches of images with these options.
    ///
    /// Differentiable with respect to both images where `_Differentiation` exists (use release
    /// builds: see the README on Swift 6.3.1's debug builds); a batch-1 image compared with a
    /// larger batch gets the gradient summed over that batch.
    ///
    /// - Throws: ``SSIMError/rankMismatch(argument:shape:expected:)`` unless both are rank 4,
    ///   ``SSIMError/unbroadcastableShapes(_:_:)`` when the shapes do not broadcast,
    ///   ``SSIMError/emptyInput(argument:shape:)`` for an axis of length 0.
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let plan = try MultiScalePlan<Scalar>(img1.shape, img2.shape, self)
        return evaluate(img1, img2, plan)
    }

    /// The loss and its gradient with respect to `prediction`, in one pass, without automatic
    /// differentiation (every toolchain and build has it).
    ///
    /// For `.none` the gradient is that of the sum of the loss map. The L1 term's gradient uses
    /// torch's `sign` (0 where the pixels are equal).
    ///
    /// ```swift
    /// let (value, gradient) = try MSSSIMLoss().valueWithGradient(prediction, target)
    /// ```
    ///
    /// - Returns: `value` as ``callAsFunction(_:_:)`` returns it (up to rounding: the backward
    ///   recomputes it from its own bands of rows, within about 1e-15 relative), and `gradient` of
    ///   the shape of `prediction`.
    /// - Throws: as ``callAsFunction(_:_:)``.
    public func valueWithGradient<Scalar: SSIMScalar>(
        _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>
    ) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
        evaluateWithGradient(prediction, target, try MultiScalePlan<Scalar>(prediction.shape, target.shape, self))
    }
}
