#if canImport(_Differentiation)
import _Differentiation
#endif

/// Wang, Simoncelli and Bovik's multi-scale SSIM of two batches of images `(B, C, H, W)` or
/// volumes `(B, C, D, H, W)`: one value per image, shape `(B)`.
///
/// ```
/// cs_j   = mean((2 sigma12 + C2) / (sigma1 + sigma2 + C2))     at scales j < M, images halved between scales
/// ssim_M = mean(SSIM)                                           at the coarsest scale M
/// MS-SSIM = prod_{j < M} clamp(cs_j)^w_j * clamp(ssim_M)^w_M
/// ```
///
/// per channel and then averaged over the channels (or pooled first: ``MultiScaleSSIMOptions``
/// says which, with the window, the halving rule, the clamping and the weights). The default is
/// Wang's reference code (``MultiScaleSSIMOptions/wang``); the presets give pytorch-msssim's,
/// TensorFlow's, torchmetrics' and piq's. Under `.wang`, a negative contrast-structure term gives
/// NaN, as a fractional power of a negative number does (the other presets clamp it).
///
/// Not Kornia's `MS_SSIMLoss` (``MSSSIMLoss``): see <doc:WangMultiScaleSSIM>.
///
/// ```swift
/// let s = try multiScaleSSIM(x, y)                                       // Wang's msssim.m, (B)
/// let p = try multiScaleSSIM(x, y, options: .pytorchMSSSIM)              // pytorch_msssim.ms_ssim
/// ```
///
/// - Parameters:
///   - img1: images `(B, C, H, W)` or volumes `(B, C, D, H, W)`.
///   - img2: of the same shape.
///   - options: the convention; Wang's by default.
/// - Returns: the MS-SSIM of each image, `(B)`.
/// - Throws: ``SSIMError`` for options out of range (``MultiScaleSSIMOptions/validate()``),
///   images that are not a pair of equal rank-4 or rank-5 shapes, a data range from constant
///   inputs, and images too small for the scales (``SSIMError/imageTooSmallForScales(shape:scales:windowSize:minimum:)``,
///   which names the smallest size that works: 161 for five scales of an 11-tap window under Wang's rule).
/// - Complexity: about 4/3 of one SSIM of the full-size images, spread over all cores.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func multiScaleSSIM<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: MultiScaleSSIMOptions = .wang
) throws -> Tensor<Scalar> {
    let plan = try PyramidPlan.constant(img1, img2, options: options, target: .map)
    return evaluate(img1, img2, plan)
}

/// The multi-scale SSIM loss `1 - MS-SSIM` of every image (see
/// ``multiScaleSSIM(_:_:options:)``), reduced over the batch.
///
/// ```swift
/// let loss = try multiScaleSSIMLoss(x, y, options: .torchmetrics, reduction: .mean)   // rank 0
/// ```
///
/// - Returns: a rank-0 tensor for `.mean` and `.sum`, the `(B)` losses for `.none`.
/// - Throws: ``SSIMError``, as ``multiScaleSSIM(_:_:options:)``.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func multiScaleSSIMLoss<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: MultiScaleSSIMOptions = .wang, reduction: Reduction = .mean
) throws -> Tensor<Scalar> {
    let plan = try PyramidPlan.constant(img1, img2, options: options, target: .loss(reduction))
    return evaluate(img1, img2, plan)
}

/// The multi-scale SSIM loss and its gradient with respect to `prediction`, without automatic
/// differentiation (every toolchain and build has it). For `.none` the gradient is that of the
/// sum of the losses; a data range taken from the inputs is held constant.
///
/// ```swift
/// let (value, gradient) = try multiScaleSSIMLossWithGradient(prediction, target, options: .piq)
/// ```
///
/// - Returns: `value` as ``multiScaleSSIMLoss(_:_:options:reduction:)`` returns it, and
///   `gradient`, the shape of `prediction`.
/// - Throws: ``SSIMError``, as ``multiScaleSSIM(_:_:options:)``.
public func multiScaleSSIMLossWithGradient<Scalar: SSIMScalar>(
    _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>, options: MultiScaleSSIMOptions = .wang, reduction: Reduction = .mean
) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    evaluateWithGradient(prediction, target, try PyramidPlan(prediction, target, options: options, target: .loss(reduction)))
}

/// Wang's multi-scale SSIM as a value holding its options (see ``multiScaleSSIM(_:_:options:)``).
///
/// ```swift
/// let metric = try MultiScaleSSIM(options: .wang)
/// let perImage = try metric(x, y)                  // (B)
/// ```
public struct MultiScaleSSIM: ImageComparison, Hashable {
    /// Every setting.
    public let options: MultiScaleSSIMOptions

    /// Checks and holds the options.
    ///
    /// - Throws: ``SSIMError`` for options out of range (see ``MultiScaleSSIMOptions/validate()``).
    public init(options: MultiScaleSSIMOptions = .wang) throws {
        try options.validate()
        self.options = options
    }

    /// The MS-SSIM of each image of two batches, `(B)`; differentiable with respect to both
    /// where `_Differentiation` exists (in release builds).
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let plan = try PyramidPlan.constant(img1, img2, options: options, target: .map)
        return evaluate(img1, img2, plan)
    }
}

/// The multi-scale SSIM loss `1 - MS-SSIM` as a value holding its options and reduction (see
/// ``multiScaleSSIMLoss(_:_:options:reduction:)``).
///
/// ```swift
/// let criterion = try MultiScaleSSIMLoss(options: .pytorchMSSSIM, reduction: .mean)
/// let (loss, gradient) = try criterion.valueWithGradient(prediction, target)
/// ```
public struct MultiScaleSSIMLoss: ImageComparison, Hashable {
    /// Every setting of the MS-SSIM.
    public let options: MultiScaleSSIMOptions
    /// How the per-image losses are reduced.
    public let reduction: Reduction

    /// Checks and holds the options.
    ///
    /// - Throws: ``SSIMError`` for options out of range (see ``MultiScaleSSIMOptions/validate()``).
    public init(options: MultiScaleSSIMOptions = .wang, reduction: Reduction = .mean) throws {
        try options.validate()
        self.options = options
        self.reduction = reduction
    }

    /// The loss of two batches of images; differentiable with respect to both where
    /// `_Differentiation` exists (in release builds).
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let plan = try PyramidPlan.constant(img1, img2, options: options, target: .loss(reduction))
        return evaluate(img1, img2, plan)
    }

    /// The loss and its gradient with respect to `prediction`
    /// (see ``multiScaleSSIMLossWithGradient(_:_:options:reduction:)``).
    public func valueWithGradient<Scalar: SSIMScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>) throws -> (
        value: Tensor<Scalar>, gradient: Tensor<Scalar>
    ) {
        evaluateWithGradient(prediction, target, try PyramidPlan(prediction, target, options: options, target: .loss(reduction)))
    }
}
