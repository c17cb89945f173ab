/// The checks every 3-D SSIM entry point runs before computing: the 2-D checks
/// (``checkWindowSize(_:)``, ``checkImagePair(_:_:rank:)``, ``checkRange(maxValue:eps:)``,
/// ``checkSpatialAxes(_:spatial:windowSize:padding:)``) on rank-5 `(B, C, D, H, W)` volumes,
/// with D, H and W all fitting the window.
struct SSIM3DConfiguration<Scalar: SSIMScalar>: Sendable {
    let geometry: VolumeGeometry
    let constants: SSIMConstants<Scalar>

    init(_ shape1: [Int], _ shape2: [Int], windowSize: Int, maxValue: Scalar, eps: Scalar, padding: Padding) throws {
        try checkWindowSize(windowSize)
        try checkImagePair(shape1, shape2, rank: 5, noun: "volume")
        try checkRange(maxValue: maxValue, eps: eps)
        let shape = shape1
        let geometry = VolumeGeometry(
            batch: shape[0], channels: shape[1], depth: shape[2], height: shape[3], width: shape[4],
            windowSize: windowSize, padding: padding)
        try checkSpatialAxes(shape, spatial: [geometry.depth, geometry.height, geometry.width], windowSize: windowSize, padding: padding)
        self.geometry = geometry
        self.constants = SSIMConstants(maxValue: maxValue, eps: eps, windowSize: windowSize)
    }
}
