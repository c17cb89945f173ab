#if canImport(_Differentiation)
import _Differentiation
#endif

/// The plan of a 2-D SSIM evaluation (the map, or a loss): the preprocessing of both images
/// (``SSIMOptions/grayscale``, ``SSIMOptions/downsampling``), and the kernels' geometry and
/// constants for the preprocessed shape and the resolved data range.
struct PlanarPlan<Scalar: SSIMScalar>: KernelPlan {
    let geometry: SSIMGeometry
    let constants: SSIMConstants<Scalar>
    let preprocessing: ImagePreprocessing
    /// The shape of the images before preprocessing: the gradients' shape.
    let inputShape: [Int]
    let target: KernelTarget

    var outputShape: [Int] { geometry.outputShape }
    var outputCount: Int { geometry.outputCount }

    /// Kornia's SSIM (`windowSize`, `maxValue`, `eps`, `padding`; a Gaussian of sigma 1.5, a
    /// reflect border), checked in Kornia's order: the window, the pair of shapes, the range and
    /// eps, the spatial axes.
    init(
        _ shape1: [Int], _ shape2: [Int], windowSize: Int, maxValue: Scalar, eps: Scalar, padding: Padding,
        target: KernelTarget
    ) throws {
        try checkWindowSize(windowSize)
        try checkImagePair(shape1, shape2, rank: 4)
        try checkRange(maxValue: maxValue, eps: eps)
        let options = SSIMOptions(windowSize: windowSize, padding: padding, dataRange: .value(Double(maxValue)), eps: Double(eps))
        try self.init(shape1, options: options, maxValue: maxValue, preprocessing: ImagePreprocessing(options, shape: shape1), target: target)
    }

    /// The plan of `options` for `img1` and `img2`, with a data range taken from them if the
    /// options say so (``DataRange/inputSpan``).
    /// With `mix`, the loss map is the photometric mix of ``SSIML1Loss`` (see ``PhotometricMix``).
    init(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions, target: KernelTarget, mix: PhotometricMix<Scalar>? = nil) throws {
        try options.validate()
        try checkImagePair(img1.shape, img2.shape, rank: 4)
        let preprocessing = try ImagePreprocessing(options, shape: img1.shape)
        let maxValue = try options.dataRange.resolved(for: img1, img2)
        try self.init(img1.shape, options: options, maxValue: maxValue, preprocessing: preprocessing, target: target, mix: mix)
    }

    private init(
        _ inputShape: [Int], options: SSIMOptions, maxValue: Scalar, preprocessing: ImagePreprocessing, target: KernelTarget,
        mix: PhotometricMix<Scalar>? = nil
    ) throws {
        try checkRange(maxValue: maxValue, eps: Scalar(options.eps))
        let shape = preprocessing.outputShape(inputShape), windowSize = options.windowSize
        geometry = SSIMGeometry(
            batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
            windowSize: windowSize, padding: options.padding, border: options.border)
        try checkSpatialAxes(shape, spatial: [geometry.height, geometry.width], windowSize: windowSize, padding: options.padding, border: options.border)
        constants = SSIMConstants(
            maxValue: maxValue, eps: Scalar(options.eps), k1: options.k1, k2: options.k2,
            covarianceScale: options.covariance.scale(taps: windowSize * windowSize),
            window: options.window.taps(size: windowSize), centresPlanes: options.window.sumsToOne
        ).generalized(options, range: Double(maxValue), mix: mix)
        self.preprocessing = preprocessing
        self.inputShape = inputShape
        self.target = target
    }

    /// The plan of the public differentiable entry points with ``SSIMOptions``: as
    /// ``init(_:_:options:target:)``.
    ///
    /// The plan, a data range taken from the inputs (`max - min` of their values) included, is a
    /// constant of differentiation: the gradient treats the range as fixed, as
    /// ``ssimLossWithGradient(_:_:options:reduction:)`` does. `@noDerivative` tells the
    /// differentiating caller so (as `withoutDerivative(at:)` on both images would at the call
    /// site); without it the compiler rejects the caller ("cannot differentiate through a
    /// non-differentiable argument": the plan would count as varying with the images).
    ///
    /// ```swift
    /// let plan = try PlanarPlan.constant(x, y, options: .scikitImage, target: .map)
    /// let map = evaluate(x, y, plan)
    /// ```
    #if canImport(_Differentiation)
    @noDerivative
    #endif
    static func constant(
        _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions, target: KernelTarget, mix: PhotometricMix<Scalar>? = nil
    ) throws -> PlanarPlan {
        try PlanarPlan(img1, img2, options: options, target: target, mix: mix)
    }

    func forward(_ x: [Scalar], _ y: [Scalar]) -> (values: [Scalar], sum: Double) {
        let forward = ssimForward(
            preprocessed(x), preprocessed(y), geometry: geometry, constants: constants, target: target, writesMap: target.keepsMap)
        return (forward.values, forward.taskSums.reduce(0, +))
    }

    /// The forward pass of the plan's loss with the SSIM map computed alongside, from the same
    /// moment rows (the filters run once for both; see
    /// ``ssimSummary(_:_:options:reduction:keepsMap:keepsLossMap:)``): the loss and the sums of
    /// both maps, bit for bit as passes of their own give them, with the loss map when
    /// `writesLossMap` and the SSIM map when `writesMap`.
    func forwardWithSSIM(_ x: [Scalar], _ y: [Scalar], writesLossMap: Bool, writesMap: Bool)
        -> (loss: Tensor<Scalar>, lossSum: Double, lossMap: [Scalar], map: [Scalar], mapSum: Double)
    {
        let forward = ssimForward(
            preprocessed(x), preprocessed(y), geometry: geometry, constants: constants, target: target,
            writesMap: target.keepsMap || writesLossMap, alongside: .map, writesAlongsideMap: writesMap)
        let lossSum = forward.taskSums.reduce(0, +)
        return (result(values: forward.values, sum: lossSum), lossSum, forward.values, forward.alongside.values, forward.alongside.taskSums.reduce(0, +))
    }

    func backward(_ x: [Scalar], _ y: [Scalar], seed: Tensor<Scalar>, wantsY: Bool, wantsValues: Bool)
        -> (dx: [Scalar], dy: [Scalar], values: [Scalar], sum: Double)
    {
        // The general form's dy is the dx of the swapped pair (see ssim_general_partials_f).
        if constants.general != nil && wantsY {
            let first = backward(x, y, seed: seed, wantsY: false, wantsValues: wantsValues)
            return (first.dx, backward(y, x, seed: seed, wantsY: false, wantsValues: false).dx, first.values, first.sum)
        }
        let (dx, dy, sums) = ssimBackward(
            preprocessed(x), preprocessed(y), geometry: geometry, constants: constants, target: target,
            upstream: target.reduction.upstream(seed, count: outputCount), wantsY: wantsY)
        let values = wantsValues && target.keepsMap ? forward(x, y).values : []
        return (inputGradient(dx), wantsY ? inputGradient(dy) : [], values, sums.reduce(0, +))
    }

    /// The images as the kernels see them, after the grayscale conversion and the pooling.
    private func preprocessed(_ scalars: [Scalar]) -> [Scalar] {
        preprocessing.isIdentity ? scalars : preprocessing.apply(Tensor(uncheckedShape: inputShape, scalars: scalars)).scalars
    }

    /// The gradient with respect to an input image from that of its preprocessed version.
    private func inputGradient(_ gradient: [Scalar]) -> [Scalar] {
        guard !preprocessing.isIdentity else { return gradient }
        let preprocessedShape = preprocessing.outputShape(inputShape)
        return preprocessing.adjoint(Tensor(uncheckedShape: preprocessedShape, scalars: gradient), inputShape: inputShape).scalars
    }
}
