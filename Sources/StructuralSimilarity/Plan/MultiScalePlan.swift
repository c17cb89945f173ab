/// The plan of one ``MSSSIMLoss`` evaluation: the checked shapes, the masks and the constants.
///
/// Both scalar types compute in Double (Float images are read and their results written in
/// Float; only rows being worked on are converted): Float has too few digits for the variances of the
/// smallest scales (`E[x^2] - E[x]^2` of a smooth image at sigma 0.5 is 1e-4 of `E[x^2]`, and
/// C2 = 9e-4 is their floor, so float32 rounding alone is 1e-5 of a loss element). `Double`
/// images filter with Kornia's exact 2-D masks (``MultiScaleMasks`` with the residual); `Float`
/// images, converted, with the separable float32 taps and the masks' sums (no residual: faster).
struct MultiScalePlan<Scalar: SSIMScalar>: KernelPlan {
    let geometry: MultiScaleGeometry
    let masks: MultiScaleMasks<Double>
    let constants: MultiScaleConstants<Double>
    let target: KernelTarget

    var outputShape: [Int] { geometry.outputShape }
    var outputCount: Int { geometry.outputCount }

    /// Checks the pair of shapes (the options were checked by ``MSSSIMLoss``'s initializer):
    /// rank 4 each, equal `(C, H, W)`, batches equal or one of them 1, no empty axis.
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
        target = .loss(options.reduction)
    }

    func forward(_ x: [Scalar], _ y: [Scalar]) -> (values: [Scalar], sum: Double) {
        let context = MultiScaleContext(geometry: geometry, masks: masks, constants: constants)
        defer { context.deallocate() }
        let (map, sum) = multiScaleForward(x, y, context: context, wantsMap: target.keepsMap)
        return (map, sum)
    }

    /// The gradients, and the loss recomputed by the backward from its own bands of rows (equal
    /// to the forward's up to rounding, about 1e-15 relative).
    func backward(_ x: [Scalar], _ y: [Scalar], seed: Tensor<Scalar>, wantsY: Bool, wantsValues: Bool)
        -> (dx: [Scalar], dy: [Scalar], values: [Scalar], sum: Double)
    {
        let context = MultiScaleContext(geometry: geometry, masks: masks, constants: constants)
        defer { context.deallocate() }
        let upstream: [Double] = target.reduction.upstream(seed, count: outputCount)
        let (dx, dy, map, sum) = multiScaleBackward(x, y, context: context, upstream: upstream, wantsY: wantsY, wantsMap: wantsValues && target.keepsMap)
        return (dx, dy, map, sum)
    }
}
