/// One scale of Wang's MS-SSIM: the geometry of its planes (2-D) or volumes (3-D), and the
/// per-plane means of an SSIM statistic and their gradient, through the 2-D or 3-D kernels.
enum PyramidScale: Sendable {
    case planar(SSIMGeometry)
    case volume(VolumeGeometry)
    /// Volumes compared slice by slice, unfiltered along the depth: the planes of `geometry` are
    /// the `depth` slices of each volume in turn.
    case slices(SSIMGeometry, depth: Int)

    /// The scale of images `(B, C, H, W)` or volumes `(B, C, D, H, W)` of these spatial sizes
    /// (`bySlice`: volumes compared slice by slice).
    init(batch: Int, channels: Int, spatial: [Int], options: SSIMOptions, bySlice: Bool = false) {
        if bySlice {
            self = .slices(
                SSIMGeometry(
                    batch: batch * channels, channels: spatial[0], height: spatial[1], width: spatial[2],
                    windowSize: options.windowSize, padding: options.padding, border: options.border),
                depth: spatial[0])
        } else if spatial.count == 3 {
            self = .volume(
                VolumeGeometry(
                    batch: batch, channels: channels, depth: spatial[0], height: spatial[1], width: spatial[2],
                    windowSize: options.windowSize, padding: options.padding))
        } else {
            self = .planar(
                SSIMGeometry(
                    batch: batch, channels: channels, height: spatial[0], width: spatial[1], windowSize: options.windowSize,
                    padding: options.padding, border: options.border))
        }
    }

    /// The number of map elements of one plane (volume): what its mean divides by.
    var outputPlaneSize: Int {
        switch self {
        case let .planar(g): return g.outputPlaneSize
        case let .volume(v): return v.outputVolumeSize
        case let .slices(g, depth): return g.outputPlaneSize * depth
        }
    }

    /// The tasks of one plane (volume) in the kernels' task order.
    private var tasksPerPlane: Int {
        switch self {
        case let .planar(g): return g.bandsPerPlane
        case let .volume(v): return v.tasksPerVolume
        case let .slices(g, depth): return g.bandsPerPlane * depth
        }
    }

    /// Per-plane means from the kernels' task sums (each plane's tasks added in order).
    private func means(_ sums: [Double]) -> [Double] {
        let tasks = tasksPerPlane, count = Double(outputPlaneSize)
        return stride(from: 0, to: sums.count, by: tasks).map { sums[$0..<($0 + tasks)].reduce(0, +) / count }
    }

    /// The mean of `target`'s map (the SSIM or the contrast-structure term) over each plane.
    func planeMeans<Scalar: SSIMScalar>(_ x: [Scalar], _ y: [Scalar], constants k: SSIMConstants<Scalar>, target: KernelTarget) -> [Double] {
        switch self {
        case let .planar(g), let .slices(g, _):
            return means(ssimForward(x, y, geometry: g, constants: k, target: target, writesMap: false).taskSums)
        case let .volume(v):
            return means(ssim3DForward(x, y, geometry: v, constants: k, target: target, writesMap: false).taskSums)
        }
    }

    /// The gradients of every plane's mean of `target`'s map with respect to that plane of both
    /// images (`dy` empty unless `wantsY`), and the means on the way: one backward pass. The
    /// gradient of any weighted sum of the means is these planes scaled by the weights (the
    /// backward pass is linear in its upstream).
    func gradientsOfMeans<Scalar: SSIMScalar>(
        _ x: [Scalar], _ y: [Scalar], constants k: SSIMConstants<Scalar>, target: KernelTarget, wantsY: Bool
    ) -> (dx: [Scalar], dy: [Scalar], means: [Double]) {
        let upstream = [Scalar(1 / Double(outputPlaneSize))]
        switch self {
        case let .planar(g), let .slices(g, _):
            let (dx, dy, sums) = ssimBackward(x, y, geometry: g, constants: k, target: target, upstream: upstream, wantsY: wantsY)
            return (dx, dy, means(sums))
        case let .volume(v):
            let (dx, dy, sums) = ssim3DBackward(x, y, geometry: v, constants: k, target: target, upstream: upstream, wantsY: wantsY)
            return (dx, dy, means(sums))
        }
    }
}
