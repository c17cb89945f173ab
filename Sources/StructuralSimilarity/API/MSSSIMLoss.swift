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
public struct MSSSIMLoss: Sendable, Hashable {
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
    ///   (or above 64: a window of more than 257 taps, whose dense masks would cost too much); ``SSIMError/invalidArgument(_:)`` for a
    ///   `dataRange` not finite and positive or a `k` not finite; ``SSIMError/invalidAlpha(_:)``
    ///   outside `[0, 1]`; ``SSIMError/invalidCompensation(_:)`` when not finite.
    public init(
        sigmas: [Double] = [0.5, 1, 2, 4, 8], dataRange: Double = 1, k: (Double, Double) = (0.01, 0.03),
        alpha: Double = 0.025, compensation: Double = 200, reduction: Reduction = .mean, masks: MSSSIMMasks = .kornia
    ) throws {
        guard !sigmas.isEmpty, sigmas.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 64 }) else {
            throw SSIMError.invalidSigmas(sigmas)
        }
        guard dataRange.isFinite, dataRange > 0 else {
            throw SSIMError.invalidArgument(
                "dataRange \(dataRange) must be finite and positive: the range of the pixels, 1 for [0, 1] data, 255 for 8-bit")
        }
        guard k.0.isFinite, k.1.isFinite else {
            throw SSIMError.invalidArgument("k \(k) must be finite: the constants (K1, K2) of C1 = (K1 L)^2, C2 = (K2 L)^2, usually (0.01, 0.03)")
        }
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
    @differentiable(reverse, wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let configuration = try MultiScaleConfiguration<Scalar>(img1.shape, img2.shape, self)
        return msssimLossCore(img1, img2, configuration)
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
        let configuration = try MultiScaleConfiguration<Scalar>(prediction.shape, target.shape, self)
        let result = msssimLossBackward(prediction, target, configuration, upstream: Tensor(1), wantsTarget: false, wantsValue: true)
        return (result.value, result.gradients.0)
    }

    public static func == (a: MSSSIMLoss, b: MSSSIMLoss) -> Bool {
        a.sigmas == b.sigmas && a.dataRange == b.dataRange && a.k1 == b.k1 && a.k2 == b.k2 && a.alpha == b.alpha
            && a.compensation == b.compensation && a.reduction == b.reduction && a.masks == b.masks
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sigmas); hasher.combine(dataRange); hasher.combine(k1); hasher.combine(k2)
        hasher.combine(alpha); hasher.combine(compensation); hasher.combine(reduction); hasher.combine(masks)
    }
}

/// The checked shapes and options of one ``MSSSIMLoss`` evaluation.
///
/// Both scalar types compute in Double (Float images are read and their results written in
/// Float; only rows being worked on are converted): Float has too few digits for the variances of the
/// smallest scales (`E[x^2] - E[x]^2` of a smooth image at sigma 0.5 is 1e-4 of `E[x^2]`, and
/// C2 = 9e-4 is their floor, so float32 rounding alone is 1e-5 of a loss element). `Double`
/// images filter with Kornia's exact 2-D masks (``MultiScaleMasks`` with the residual); `Float`
/// images, converted, with the separable float32 taps and the masks' sums (no residual: faster).
struct MultiScaleConfiguration<Scalar: SSIMScalar>: Sendable {
    let geometry: MultiScaleGeometry
    let masks: MultiScaleMasks<Double>
    let constants: MultiScaleConstants<Double>
    let reduction: Reduction

    init(_ shape1: [Int], _ shape2: [Int], _ options: MSSSIMLoss) throws {
        guard shape1.count == 4 else { throw SSIMError.rankMismatch(argument: "the first image", shape: shape1, expected: 4) }
        guard shape2.count == 4 else { throw SSIMError.rankMismatch(argument: "the second image", shape: shape2, expected: 4) }
        let sameBatch = shape1[0] == shape2[0] || shape1[0] == 1 || shape2[0] == 1
        guard shape1.dropFirst() == shape2.dropFirst(), sameBatch else { throw SSIMError.unbroadcastableShapes(shape1, shape2) }
        guard !shape1.contains(0) else { throw SSIMError.emptyInput(argument: "the first image", shape: shape1) }
        guard !shape2.contains(0) else { throw SSIMError.emptyInput(argument: "the second image", shape: shape2) }
        geometry = MultiScaleGeometry(batch1: shape1[0], batch2: shape2[0], channels: shape1[1], height: shape1[2], width: shape1[3])
        masks = MultiScaleMasks(sigmas: options.sigmas, masks: options.masks, withResidual: Scalar.self == Double.self)
        constants = MultiScaleConstants(dataRange: options.dataRange, k: options.k, alpha: options.alpha, compensation: options.compensation)
        reduction = options.reduction
    }

    /// The kernels' shared state (the caller deallocates it).
    var context: MultiScaleContext<Double> { MultiScaleContext(geometry: geometry, masks: masks, constants: constants) }

    /// The rank-0 loss from the sum of the map: the sum itself, or the mean.
    func reduced(_ sum: Double) -> Tensor<Scalar> {
        Tensor(Scalar(reduction == .mean ? sum / Double(geometry.outputCount) : sum))
    }
}

/// The MS-SSIM + L1 loss with validated arguments: the function that carries the derivative.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func msssimLossCore<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: MultiScaleConfiguration<Scalar>
) -> Tensor<Scalar> {
    let g = configuration.geometry, wantsMap = configuration.reduction == .none
    let context = configuration.context
    defer { context.deallocate() }
    let (map, sum) = multiScaleForward(img1.scalars, img2.scalars, context: context, wantsMap: wantsMap)
    return wantsMap ? Tensor(uncheckedShape: g.outputShape, scalars: map) : configuration.reduced(sum)
}

/// The gradients of `sum(upstream * loss)` with respect to both images (the second empty unless
/// `wantsTarget`), and the loss itself when `wantsValue` (else a rank-0 zero).
func msssimLossBackward<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: MultiScaleConfiguration<Scalar>,
    upstream: Tensor<Scalar>, wantsTarget: Bool, wantsValue: Bool
) -> (value: Tensor<Scalar>, gradients: (Tensor<Scalar>, Tensor<Scalar>)) {
    let g = configuration.geometry, reduction = configuration.reduction
    let weights = reduction == .mean ? [Double(upstream.scalars[0]) / Double(g.outputCount)] : inDouble(upstream.scalars)
    let wantsMap = wantsValue && reduction == .none
    let context = configuration.context
    defer { context.deallocate() }
    let result = multiScaleBackward(
        img1.scalars, img2.scalars, context: context, upstream: weights, wantsY: wantsTarget, wantsMap: wantsMap)
    let value = wantsMap ? Tensor(uncheckedShape: g.outputShape, scalars: result.map) : configuration.reduced(result.sum)
    let second: Tensor<Scalar> = wantsTarget ? Tensor(uncheckedShape: img2.shape, scalars: result.dy) : Tensor(uncheckedShape: [0], scalars: [])
    return (value, (Tensor(uncheckedShape: img1.shape, scalars: result.dx), second))
}

/// The scalars in Double (the same array when they already are).
func inDouble<Scalar: SSIMScalar>(_ scalars: [Scalar]) -> [Double] {
    if let same = scalars as? [Double] { return same }
    return scalars.map { Double($0) }
}

