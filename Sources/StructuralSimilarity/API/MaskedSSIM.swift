#if canImport(_Differentiation)
import _Differentiation
#endif

/// The masked (weighted) SSIM map: every window's statistics are normalised convolutions with the
/// weights `w` (Knutsson and Westin 1993), so that a pixel of weight 0 enters no window at all.
///
/// ```
/// W = G * w,   mu1 = G * (w x) / W,   e11 = G * (w x^2) / W,   e12 = G * (w x y) / W  (mu2, e22 likewise)
/// sigma1 = k (e11 - mu1^2),  sigma2 = k (e22 - mu2^2),  sigma12 = k (e12 - mu1 mu2)
/// SSIM = (2 mu1 mu2 + C1)(2 sigma12 + C2) / ((mu1^2 + mu2^2 + C1)(sigma1 + sigma2 + C2) + eps)
/// ```
///
/// with the window, border, crop, covariance factor `k` and constants of `options`. The map is
/// defined where `W > 0` and holds NaN elsewhere (where the window sees no weight). Weights of all
/// ones give the map of ``ssim(_:_:options:)`` (within 1e-15 in Double; see <doc:MaskedSSIM>).
///
/// ```swift
/// let mask = try Tensor<Float>(shape: [2, 1, 64, 64], scalars: maskValues)   // in [0, 1]
/// let map = try ssim(x, y, options: .kornia, weights: mask)                 // NaN where G * w = 0
/// let meanOverMask = try meanSSIM(x, y, options: .kornia, weights: mask).scalar
/// ```
///
/// - Parameters:
///   - img1: images `(B, C, H, W)`.
///   - img2: images of the same shape.
///   - options: the convention (no grayscale conversion or downsampling).
///   - weights: `(B, 1, H, W)` (one map for every channel) or `(B, C, H, W)`, each in [0, 1].
///   - ignoringNaN: whether a pixel that is NaN in either image gets weight 0 (else NaN
///     propagates, as in the unweighted SSIM, unless its weight is 0).
/// - Returns: the map, `(B, C, H, W)` (or cropped by `.valid`).
/// - Throws: ``SSIMError`` as ``ssim(_:_:options:)``, and for weights of another shape, outside
///   [0, 1], all 0 over the output, or options with a grayscale conversion or downsampling.
/// - Complexity: O(B C H W windowSize), spread over all cores.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func ssim<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions, weights: Tensor<Scalar>, ignoringNaN: Bool = false
) throws -> Tensor<Scalar> {
    let plan = try MaskedPlan.constant(img1, img2, weights: weights, options: options, ignoringNaN: ignoringNaN, target: .map)
    return evaluate(img1, img2, plan)
}

/// The weighted mean of the masked SSIM map (see ``ssim(_:_:options:weights:ignoringNaN:)``):
///
/// ```
/// mean = sum over the elements with W > 0 of w SSIM  /  sum of w over all elements
/// ```
///
/// (`w` is the weight of the element's own pixel; a positive weight makes `W` positive, so the
/// two sums run over the same elements). A rank-0 tensor, differentiable with respect to both images.
///
/// ```swift
/// let s = try meanSSIM(x, y, options: .kornia, weights: mask).scalar
/// ```
///
/// - Throws: ``SSIMError``, as ``ssim(_:_:options:weights:ignoringNaN:)``.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func meanSSIM<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions, weights: Tensor<Scalar>, ignoringNaN: Bool = false
) throws -> Tensor<Scalar> {
    let plan = try MaskedPlan.constant(
        img1, img2, weights: weights, options: options, ignoringNaN: ignoringNaN, target: .map, reducesMap: true)
    return evaluate(img1, img2, plan)
}

/// The masked SSIM loss: the loss map `clamp((1 - SSIM) / 2, 0, 1)` of the masked map, reduced
/// with the weights:
///
/// ```
/// mean: sum_{W > 0} w loss / sum w,   sum: sum_{W > 0} w loss,   none: the loss map (NaN where W = 0)
/// ```
///
/// ```swift
/// let loss = try ssimLoss(x, y, options: .kornia, weights: mask)           // rank 0
/// ```
///
/// - Throws: ``SSIMError``, as ``ssim(_:_:options:weights:ignoringNaN:)``.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func ssimLoss<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions, weights: Tensor<Scalar>, ignoringNaN: Bool = false,
    reduction: Reduction = .mean
) throws -> Tensor<Scalar> {
    let plan = try MaskedPlan.constant(img1, img2, weights: weights, options: options, ignoringNaN: ignoringNaN, target: .loss(reduction))
    return evaluate(img1, img2, plan)
}

/// The masked SSIM loss and its gradient with respect to `prediction` (not the weights), in one
/// forward and one backward pass, without automatic differentiation. A pixel of weight 0 gets
/// gradient 0; for `.none` the gradient is that of the sum of the loss map where it is defined.
///
/// ```swift
/// let (value, gradient) = try ssimLossWithGradient(prediction, target, options: .kornia, weights: mask)
/// ```
///
/// - Throws: ``SSIMError``, as ``ssim(_:_:options:weights:ignoringNaN:)``.
public func ssimLossWithGradient<Scalar: SSIMScalar>(
    _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>, options: SSIMOptions, weights: Tensor<Scalar>, ignoringNaN: Bool = false,
    reduction: Reduction = .mean
) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    let plan = try MaskedPlan(prediction, target, weights: weights, options: options, ignoringNaN: ignoringNaN, target: .loss(reduction))
    return evaluateWithGradient(prediction, target, plan)
}

extension SSIM {
    /// The masked SSIM map with these options (see ``ssim(_:_:options:weights:ignoringNaN:)``).
    ///
    /// ```swift
    /// let map = try SSIM(options: .kornia)(x, y, weights: mask)
    /// ```
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(
        _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, weights: Tensor<Scalar>, ignoringNaN: Bool = false
    ) throws -> Tensor<Scalar> {
        let plan = try MaskedPlan.constant(img1, img2, weights: weights, options: options, ignoringNaN: ignoringNaN, target: .map)
        return evaluate(img1, img2, plan)
    }
}

extension SSIMLoss {
    /// The masked loss with these options (see ``ssimLoss(_:_:options:weights:ignoringNaN:reduction:)``).
    ///
    /// ```swift
    /// let value = try SSIMLoss(options: .kornia)(prediction, target, weights: mask)
    /// ```
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(
        _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, weights: Tensor<Scalar>, ignoringNaN: Bool = false
    ) throws -> Tensor<Scalar> {
        let plan = try MaskedPlan.constant(
            img1, img2, weights: weights, options: options, ignoringNaN: ignoringNaN, target: .loss(reduction))
        return evaluate(img1, img2, plan)
    }

    /// The masked loss and its gradient with respect to `prediction`
    /// (see ``ssimLossWithGradient(_:_:options:weights:ignoringNaN:reduction:)``).
    public func valueWithGradient<Scalar: SSIMScalar>(
        _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>, weights: Tensor<Scalar>, ignoringNaN: Bool = false
    ) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
        let plan = try MaskedPlan(prediction, target, weights: weights, options: options, ignoringNaN: ignoringNaN, target: .loss(reduction))
        return evaluateWithGradient(prediction, target, plan)
    }
}
