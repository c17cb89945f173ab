/// Depth slices per task of the 3-D kernels (see ``VolumeGeometry/slabsPerVolume``).
let slicesPerSlab = 16

/// Output-row elements (rows times padded columns) per tile of a slice, at least (see
/// ``VolumeGeometry/rowsPerTile``): a tile's slice of the five moments then stays in cache.
let elementsPerTile = 16384

/// The sizes and options shared by the forward and backward kernels of the 3-D SSIM on
/// `(B, C, D, H, W)` volumes, checked before any kernel runs.
///
/// Each depth slice is an `H x W` image filtered by the 2-D machinery (``slice``); the depth
/// axis is filtered afterwards, with the same reflect border and `valid` crop. The work of a
/// volume is split into tasks of a slab of slices and a tile of rows.
struct VolumeGeometry: Sendable {
    let batch: Int
    let channels: Int
    let depth: Int
    let height: Int
    let width: Int
    let windowSize: Int
    let padding: Padding

    /// Half the window: the reflect border's width and the `valid` crop, on every axis.
    var half: Int { windowSize / 2 }
    var volumeCount: Int { batch * channels }
    var sliceSize: Int { height * width }
    var volumeSize: Int { depth * sliceSize }

    /// One depth slice as a single-plane image: the geometry of the H and W passes.
    var slice: SSIMGeometry {
        SSIMGeometry(batch: 1, channels: 1, height: height, width: width, windowSize: windowSize, padding: padding, border: .reflect)
    }

    /// The depth slices of the `same` map that the output keeps.
    var outputSlices: Range<Int> { padding == .same ? 0..<depth : half..<(depth - half) }
    var outputDepth: Int { outputSlices.count }
    var outputHeight: Int { slice.outputHeight }
    var outputWidth: Int { slice.outputWidth }
    var outputSliceSize: Int { slice.outputPlaneSize }
    var outputVolumeSize: Int { outputDepth * outputSliceSize }
    var outputShape: [Int] { [batch, channels, outputDepth, outputHeight, outputWidth] }
    var outputCount: Int { volumeCount * outputVolumeSize }

    /// The slabs of depth slices the work of a volume is split into: input slices
    /// `s * slicesPerSlab ..< (s + 1) * slicesPerSlab`. Fixed (not derived from the number of
    /// threads), so that partial sums, and hence results, do not depend on it; the forward and
    /// backward passes use the same slabs, so they sum the loss identically.
    var slabsPerVolume: Int { (depth + slicesPerSlab - 1) / slicesPerSlab }

    /// The input slices of slab `s`.
    func slab(_ s: Int) -> Range<Int> { (s * slicesPerSlab)..<min((s + 1) * slicesPerSlab, depth) }

    /// The rows of each slice are split into tiles of this many rows, so that the ring of
    /// filtered slices of one task stays in cache on wide slices: about ``elementsPerTile``
    /// elements per moment, at least 32 rows (each tile filters `windowSize / 2` rows beyond
    /// each side again). Fixed by the shape, as the slabs are.
    var rowsPerTile: Int { max(32, elementsPerTile / InnerLoops.padded(outputWidth)) }
    var tilesPerSlice: Int { (height + rowsPerTile - 1) / rowsPerTile }

    /// The rows (image rows, `same` coordinates) of tile `t`.
    func tile(_ t: Int) -> Range<Int> { (t * rowsPerTile)..<min((t + 1) * rowsPerTile, height) }

    /// The tasks of one volume: every tile of every slab, slab after slab.
    var tasksPerVolume: Int { slabsPerVolume * tilesPerSlice }

    /// The input slices and rows of task `task` of a volume.
    func task(_ task: Int) -> (slices: Range<Int>, rows: Range<Int>) {
        (slab(task / tilesPerSlice), tile(task % tilesPerSlice))
    }
}
