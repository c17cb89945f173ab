#if canImport(_Differentiation)
import _Differentiation
#endif

/// The validated plan of an SSIM computation with ``SSIMOptions``: the preprocessing of both
/// images and the kernels' configuration for the preprocessed shape and the resolved range.
struct SSIMPlan<Scalar: SSIMScalar>: Sendable {
    let preprocessing: ImagePreprocessing
    let configuration: SSIMConfiguration<Scalar>

    init(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions) throws {
        try options.validate()
        try checkImagePair(img1.shape, img2.shape, rank: 4)
        preprocessing = try ImagePreprocessing(options, shape: img1.shape)
        let maxValue: Scalar
        switch options.dataRange {
        case let .value(range):
            maxValue = Scalar(range)
        case .inputSpan:
            maxValue = Scalar(max(span(img1.scalars), span(img2.scalars)))
            guard maxValue.isFinite, maxValue > 0 else {
                throw SSIMError.invalidArgument(
                    "the data range taken from the inputs (max - min) is \(maxValue): the images are constant or not finite; set dataRange to .value(L), e.g. 1 for [0, 1] data")
            }
        }
        configuration = try SSIMConfiguration(preprocessing.outputShape(img1.shape), options: options, maxValue: maxValue)
    }

    /// The plan of the public differentiable entry points with ``SSIMOptions``
    /// (``ssim(_:_:options:)``, ``ssimLoss(_:_:options:reduction:)``, `SSIM` and `SSIMLoss`):
    /// validates and resolves the options for `img1` and `img2`, as ``init(_:_:options:)``.
    ///
    /// The plan, a data range taken from the inputs (`max - min` of their values) included, is a
    /// constant of differentiation: the gradient treats the range as fixed, as
    /// ``ssimLossWithGradient(_:_:options:reduction:)`` does. `@noDerivative` tells the
    /// differentiating caller so (as `withoutDerivative(at:)` on both images would at the call
    /// site); without it the compiler rejects the caller ("cannot differentiate through a
    /// non-differentiable argument": the plan would count as varying with the images).
    ///
    /// ```swift
    /// let plan = try SSIMPlan.constant(img1, img2, options: options)
    /// return ssimMapCore(preprocessCore(img1, plan.preprocessing), preprocessCore(img2, plan.preprocessing), plan.configuration)
    /// ```
    ///
    /// - Throws: ``SSIMError``, as ``init(_:_:options:)``.
    #if canImport(_Differentiation)
    @noDerivative
    #endif
    static func constant(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions) throws -> SSIMPlan {
        try SSIMPlan(img1, img2, options: options)
    }
}

/// `max - min` of some scalars, in `Double` (NaN if any is NaN or infinite). Written as
/// selects and a sum the compiler vectorises: `v < low ? v : low` is the processor's minimum,
/// and `v - v` is 0 for a finite `v` and NaN otherwise.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func span<Scalar: SSIMScalar>(_ values: [Scalar]) -> Double {
    guard let first = values.first else { return 0 }
    var low = first, high = first, check = Scalar(0)
    values.withUnsafeBufferPointer { buffer in
        for v in buffer {
            low = v < low ? v : low
            high = v > high ? v : high
            check += v - v
        }
    }
    return check.isNaN ? .nan : Double(high) - Double(low)
}

/// The SSIM map of two batches of images under a convention (``SSIMOptions``): the map whose
/// mean is that library's mean SSIM.
///
/// ```
/// SSIM = (2 mu1 mu2 + C1)(2 sigma12 + C2) / ((mu1^2 + mu2^2 + C1)(sigma1 + sigma2 + C2) + eps)
/// ```
///
/// with the window, border, crop, covariance and constants of `options` (see ``SSIMOptions``),
/// after its grayscale conversion and downsampling (piq: the map at the reduced size).
///
/// ```swift
/// let map = try ssim(x, y, options: .scikitImage)
/// let meanSSIM = map.mean().scalar                   // scikit-image's structural_similarity
/// ```
///
/// - Returns: the SSIM map, `(B, C', H', W')`: `C' = 1` after a grayscale conversion,
///   `H', W'` reduced by the downsampling and by `2 (windowSize / 2)` for `.valid`.
/// - Throws: ``SSIMError`` for images that are not a pair of equal rank-4 shapes, options out
///   of range (see ``SSIMOptions/validate()``), images too small for the window and border,
///   or a data range from constant inputs.
/// - Complexity: O(B C H W windowSize), spread over all cores.
#if canImport(_Differentiation)
@differentiable(reverse, wrt: (img1, img2))
#endif
public func ssim<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions) throws -> Tensor<Scalar> {
    let plan = try SSIMPlan.constant(img1, img2, options: options)
    return ssimMapCore(preprocessCore(img1, plan.preprocessing), preprocessCore(img2, plan.preprocessing), plan.configuration)
}

/// The SSIM loss (`clamp((1 - SSIM) / 2, 0, 1)`, reduced) under a convention: as
/// ``ssimLoss(_:_:windowSize:maxValue:eps:reduction:padding:)`` with the SSIM map of
/// ``ssim(_:_:options:)``.
///
/// ```swift
/// var o = SSIMOptions.kornia
/// o.border = .replicate
/// let loss = try ssimLoss(x, y, options: o, reduction: .mean)
/// ```
///
/// - Throws: ``SSIMError``, as ``ssim(_:_:options:)``.
#if canImport(_Differentiation)
@differentiable(reverse, wrt: (img1, img2))
#endif
public func ssimLoss<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions, reduction: Reduction = .mean
) throws -> Tensor<Scalar> {
    let plan = try SSIMPlan.constant(img1, img2, options: options)
    return ssimLossCore(preprocessCore(img1, plan.preprocessing), preprocessCore(img2, plan.preprocessing), plan.configuration, reduction)
}

/// The SSIM loss under a convention and its gradient with respect to `prediction`, without
/// automatic differentiation (see ``ssimLossWithGradient(_:_:windowSize:maxValue:eps:reduction:padding:)``).
/// The gradient goes back through the grayscale conversion and the pooling; a data range taken
/// from the inputs is held constant.
///
/// ```swift
/// let (value, gradient) = try ssimLossWithGradient(prediction, target, options: .scikitImage)
/// ```
///
/// - Throws: ``SSIMError``, as ``ssim(_:_:options:)``.
public func ssimLossWithGradient<Scalar: SSIMScalar>(
    _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>, options: SSIMOptions, reduction: Reduction = .mean
) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    let plan = try SSIMPlan(prediction, target, options: options)
    let x = plan.preprocessing.apply(prediction), y = plan.preprocessing.apply(target)
    let configuration = plan.configuration
    let (dx, _, sum) = ssimBackward(
        x.scalars, y.scalars, geometry: configuration.geometry, constants: configuration.constants,
        target: .lossMap, upstream: lossWeights(Tensor(1), reduction, configuration), wantsY: false)
    let value = reduction == .none
        ? ssimLossCore(x, y, configuration, .none)
        : reducedLoss(sum, reduction, configuration)
    let gradient = plan.preprocessing.adjoint(Tensor(uncheckedShape: x.shape, scalars: dx), inputShape: prediction.shape)
    return (value, gradient)
}
