import Dispatch

/// About the mean of a plane, rounded to `Scalar`: the shift that centres its moments. Any
/// value near the data serves, so it averages a strided sample of at most 4096 pixels.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func planeShift<Scalar: SSIMScalar>(_ x: UnsafePointer<Scalar>, count: Int) -> Scalar {
    let step = max(1, count / 4096)
    var total = 0.0, samples = 0
    for i in Swift.stride(from: 0, to: count, by: step) {
        total += Double(x[i])
        samples += 1
    }
    let mean = Scalar(total / Double(samples))
    return mean.isFinite ? mean : 0
}

/// The per-plane shifts that centre the moments of each image (see ``MomentRows``), computed in
/// parallel: `shifts[2 p]` for plane `p` of `x`, `shifts[2 p + 1]` for plane `p` of `y`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func planeShifts<Scalar: SSIMScalar>(_ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, planes: Int, planeSize: Int) -> [Scalar] {
    let xs = SharedPointer(base: UnsafeMutablePointer(mutating: x)), ys = SharedPointer(base: UnsafeMutablePointer(mutating: y))
    return filledArray(count: 2 * planes) { shifts in
        DispatchQueue.concurrentPerform(iterations: 2 * planes) { i in
            shifts!.base[i] = planeShift((i % 2 == 0 ? xs.base : ys.base) + (i / 2) * planeSize, count: planeSize)
        }
    }
}

/// The shifts that centre each plane's moments in the 2-D kernels (see ``MomentRows``). When a
/// plane is split into several bands, whose tasks must agree on them, they are computed up front
/// in parallel (``planeShifts(_:_:planes:planeSize:)``); when a plane is one band, its own task
/// computes them (the same values): the sampled pixels are then still in cache when the kernel
/// reads the plane, instead of being read from memory twice.
struct PlaneShifts<Scalar: SSIMScalar>: @unchecked Sendable {
    private let x: UnsafePointer<Scalar>
    private let y: UnsafePointer<Scalar>
    private let planeSize: Int
    private let centres: Bool
    private let precomputed: [Scalar]?

    /// The shifts of the planes of `x` and `y`, which `geometry` describes.
    ///
    /// - Parameters:
    ///   - x: the first images.
    ///   - y: the second images.
    ///   - g: their sizes.
    ///   - centres: whether to centre at all (``SSIMConstants/centresPlanes``); every shift is
    ///     zero otherwise.
    init(_ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, geometry g: SSIMGeometry, centres: Bool) {
        self.x = x
        self.y = y
        planeSize = g.planeSize
        self.centres = centres
        precomputed = centres && g.bandsPerPlane > 1 ? planeShifts(x, y, planes: g.planeCount, planeSize: g.planeSize) : nil
    }

    /// The shifts of plane `p` of `x` and of `y`.
    func callAsFunction(plane p: Int) -> (Scalar, Scalar) {
        guard centres else { return (0, 0) }
        if let precomputed { return (precomputed[2 * p], precomputed[2 * p + 1]) }
        return (planeShift(x + p * planeSize, count: planeSize), planeShift(y + p * planeSize, count: planeSize))
    }
}
