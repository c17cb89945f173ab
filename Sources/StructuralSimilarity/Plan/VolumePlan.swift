/// The plan of a 3-D SSIM evaluation on `(B, C, D, H, W)` volumes (Kornia's `ssim3d`): the 2-D
/// checks, in the same order, with D, H and W all fitting the window.
struct VolumePlan<Scalar: SSIMScalar>: KernelPlan {
    let geometry: VolumeGeometry
    let constants: SSIMConstants<Scalar>
    let target: KernelTarget

    var outputShape: [Int] { geometry.outputShape }
    var outputCount: Int { geometry.outputCount }

    init(
        _ shape1: [Int], _ shape2: [Int], windowSize: Int, maxValue: Scalar, eps: Scalar, padding: Padding,
        target: KernelTarget
    ) throws {
        try checkWindowSize(windowSize)
        try checkImagePair(shape1, shape2, rank: 5, noun: "volume")
        try checkRange(maxValue: maxValue, eps: eps)
        let shape = shape1
        geometry = VolumeGeometry(
            batch: shape[0], channels: shape[1], depth: shape[2], height: shape[3], width: shape[4],
            windowSize: windowSize, padding: padding)
        try checkSpatialAxes(shape, spatial: [geometry.depth, geometry.height, geometry.width], windowSize: windowSize, padding: padding)
        constants = SSIMConstants(maxValue: maxValue, eps: eps, windowSize: windowSize)
        self.target = target
    }

    func forward(_ x: [Scalar], _ y: [Scalar]) -> (values: [Scalar], sum: Double) {
        let (values, sums) = ssim3DForward(x, y, geometry: geometry, constants: constants, target: target, writesMap: target.keepsMap)
        return (values, sums.reduce(0, +))
    }

    func backward(_ x: [Scalar], _ y: [Scalar], seed: Tensor<Scalar>, wantsY: Bool, wantsValues: Bool)
        -> (dx: [Scalar], dy: [Scalar], values: [Scalar], sum: Double)
    {
        let (dx, dy, sums) = ssim3DBackward(
            x, y, geometry: geometry, constants: constants, target: target,
            upstream: target.reduction.upstream(seed, count: outputCount), wantsY: wantsY)
        return (dx, dy, wantsValues && target.keepsMap ? forward(x, y).values : [], sums.reduce(0, +))
    }
}
