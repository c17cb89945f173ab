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

    /// The mean of `target`'s map (the SSIM or the contrast-structure term) over each plane.
    func planeMeans<Scalar: SSIMScalar>(_ x: [Scalar], _ y: [Scalar], constants k: SSIMConstants<Scalar>, target: KernelTarget) -> [Double] {
        let sums: [Double], tasksPerPlane: Int
        switch self {
        case let .planar(g):
            sums = ssimForward(x, y, geometry: g, constants: k, target: target, writesMap: false).taskSums
            tasksPerPlane = g.bandsPerPlane
        case let .slices(g, depth):
            sums = ssimForward(x, y, geometry: g, constants: k, target: target, writesMap: false).taskSums
            tasksPerPlane = g.bandsPerPlane * depth
        case let .volume(v):
            sums = ssim3DForward(x, y, geometry: v, constants: k, target: target, writesMap: false).taskSums
            tasksPerPlane = v.tasksPerVolume
        }
        let count = Double(outputPlaneSize)
        return stride(from: 0, to: sums.count, by: tasksPerPlane).map { first in
            sums[first..<(first + tasksPerPlane)].reduce(0, +) / count
        }
    }

    /// The gradients with respect to both images of `sum_p weights[p] mean_p(target)` (`dy`
    /// empty unless `wantsY`).
    func backward<Scalar: SSIMScalar>(
        _ x: [Scalar], _ y: [Scalar], constants k: SSIMConstants<Scalar>, target: KernelTarget, weights: [Double], wantsY: Bool
    ) -> (dx: [Scalar], dy: [Scalar]) {
        let count = Double(outputPlaneSize)
        let upstream = weights.map { Scalar($0 / count) }
        switch self {
        case let .planar(g):
            let (dx, dy, _) = ssimBackward(x, y, geometry: g, constants: k, target: target, upstream: upstream, wantsY: wantsY)
            return (dx, dy)
        case let .slices(g, depth):
            let perSlice = upstream.flatMap { Array(repeating: $0, count: depth) }
            let (dx, dy, _) = ssimBackward(x, y, geometry: g, constants: k, target: target, upstream: perSlice, wantsY: wantsY)
            return (dx, dy)
        case let .volume(v):
            let (dx, dy, _) = ssim3DBackward(x, y, geometry: v, constants: k, target: target, upstream: upstream, wantsY: wantsY)
            return (dx, dy)
        }
    }
}
