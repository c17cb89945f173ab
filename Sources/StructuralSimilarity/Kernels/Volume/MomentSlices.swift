/// The five filtered moments of one output depth slice: for each moment, `outputHeight` rows
/// of `stride` scalars (the output columns, padded to a multiple of 16), moment after moment.
///
/// ```
/// row r of moment m: base + (m * outputHeight + r) * stride     m: mu1, mu2, e11, e22, edd
/// ```
struct MomentSlice<Scalar: SSIMScalar> {
    let base: UnsafeMutablePointer<Scalar>
    let outputHeight: Int
    let stride: Int

    /// The five moments of output row `r` of the slice (see ``MomentRows``).
    func rows(_ r: Int) -> MomentRows<Scalar> {
        func row(_ m: Int) -> UnsafeMutablePointer<Scalar> { base + (m * outputHeight + r) * stride }
        return MomentRows(mu1: row(0), mu2: row(1), e11: row(2), e22: row(3), edd: row(4))
    }
}

/// Scratch memory of one task of the 3-D filter: the 2-D workspace of one slice, a ring of the
/// last `windowSize` slices (of up to `rowCapacity` output rows) filtered along W and H (all
/// that the D pass of one output slice reads), and the output slice after the D pass; the ring
/// and the slice in a ``TaskMemory`` (kept from call to call, see ``ScratchBlocks``).
struct VolumeMomentWorkspace<Scalar: SSIMScalar> {
    let rows: MomentWorkspace<Scalar>
    let rowCapacity: Int
    let stride: Int
    /// Scalars of one slice of the five moments at full capacity: the ring's slot size.
    let slotCount: Int
    let ring: UnsafeMutablePointer<Scalar>
    let filtered: UnsafeMutablePointer<Scalar>
    let sources: UnsafeMutablePointer<UnsafePointer<Scalar>>
    let ringSize: Int
    /// One row of `stride` scalars, for a caller's results of one row.
    let row: UnsafeMutablePointer<Scalar>
    private let memory: TaskMemory

    init(geometry v: VolumeGeometry, rowCapacity: Int) {
        rows = MomentWorkspace(geometry: v.slice)
        self.rowCapacity = rowCapacity
        // The slices' rows packed at the width the loops compute: the passes along D stream
        // whole slices, so these rows need no odd spacing (``InnerLoops/padded(_:)``), and the
        // ring, the largest buffer of a volume task, stays smaller.
        stride = rows.vectorColumns
        slotCount = 5 * rowCapacity * stride
        ringSize = v.windowSize
        memory = TaskMemory(bytes: TaskMemory.bytes(holding: [ringSize * slotCount, slotCount, stride], of: Scalar.self))
        ring = memory.allocate(ringSize * slotCount)
        filtered = memory.allocate(slotCount)
        row = memory.allocate(stride)
        sources = .allocate(capacity: v.windowSize)
    }

    /// The ring slot of input slice `i`, holding `rowCount` rows per moment.
    func slot(_ i: Int, rowCount: Int) -> MomentSlice<Scalar> {
        MomentSlice(base: ring + (i % ringSize) * slotCount, outputHeight: rowCount, stride: stride)
    }

    func deallocate() {
        rows.deallocate()
        memory.deallocate()
        sources.deallocate()
    }
}

/// Runs the separable 3-D Gaussian filter of SSIM over the output slices `slices` and output
/// rows `rows` (coordinates of the `same` map) of one volume and hands each finished slice of
/// the five moments (row `r` of `rows` at index `r - rows.lowerBound`) to `body`, in units of
/// `1 / scale`, centred on the volume's shifts (see ``MomentRows``).
///
/// Each input slice is filtered along W, then H, by ``forEachMomentRow(x:y:shift1:shift2:scale:geometry:window:rows:workspace:_:)``
/// (the 2-D pass, only the output rows and columns) into a ring of `windowSize` slices, just
/// before the first output slice that reads it; then the D pass sums the ring's slices, with
/// the reflect border along D (`-1` reads slice `1`):
///
/// ```
/// M[o] = sum_k w[k] M2D[reflect(o - half + k)]     for each of the five moments
/// ```
///
/// The rows of all five moments of a slice are contiguous, so the D pass is one symmetric sum
/// per output slice.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func forEachMomentSlice<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar, scale: Scalar,
    geometry v: VolumeGeometry, window: UnsafePointer<Scalar>, slices: Range<Int>, rows: Range<Int>,
    workspace ws: VolumeMomentWorkspace<Scalar>,
    _ body: (_ slice: Int, _ moments: MomentSlice<Scalar>) -> Void
) {
    precondition(rows.count <= ws.rowCapacity)
    let half = v.half, taps = v.windowSize, g = v.slice, stride = ws.stride
    let top = rows.lowerBound, rowCount = rows.count
    /// Input slice i filtered along W and H into its ring slot.
    func filterSlice(_ i: Int) {
        let destination = ws.slot(i, rowCount: rowCount)
        forEachMomentRow(
            x: x + i * v.sliceSize, y: y + i * v.sliceSize, shift1: shift1, shift2: shift2, scale: scale,
            geometry: g, window: window, rows: rows, workspace: ws.rows
        ) { r, m in
            let destinationRows = destination.rows(r - top)
            destinationRows.mu1.update(from: m.mu1, count: stride)
            destinationRows.mu2.update(from: m.mu2, count: stride)
            destinationRows.e11.update(from: m.e11, count: stride)
            destinationRows.e22.update(from: m.e22, count: stride)
            destinationRows.edd.update(from: m.edd, count: stride)
        }
    }
    // The slices one output slice reads (reflections included) all lie within the last `taps`
    // filtered: reflect(o - half + k) is in [o - half, o + half] clamped to the volume.
    var next = max(0, slices.lowerBound - half)
    let filtered = MomentSlice(base: ws.filtered, outputHeight: rowCount, stride: stride)
    for o in slices {
        while next <= min(v.depth - 1, o + half) {
            filterSlice(next)
            next += 1
        }
        for k in 0..<taps {
            ws.sources[k] = UnsafePointer(ws.slot(SSIMGeometry.reflect(o - half + k, v.depth), rowCount: rowCount).base)
        }
        InnerLoops.symmetricSum(rows: ws.sources, window: window, half: half, into: ws.filtered, count: 5 * rowCount * stride)
        body(o, filtered)
    }
}
