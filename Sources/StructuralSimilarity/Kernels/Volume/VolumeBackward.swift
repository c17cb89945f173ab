/// The gradient of a weighted sum of the 3-D SSIM map (or of its loss map) with respect to both
/// volumes, derived by hand: the 2-D backward (see
/// ``ssimBackward(_:_:geometry:constants:target:upstream:wantsY:)``) with the 3-D filter.
///
/// The partials of the five centred moments are the 2-D ones (`ssim_partials_f`); they go back
/// through the adjoint of the separable filter, `G^T = W^T H^T D^T` (each pass's reflected
/// border folded back onto the voxels it copied), and with `x~ = x - a`, `y~ = y - b` (the
/// volumes centred on their means):
///
/// ```
/// dL/dx = G^T dmu1 + x~ G^T r - 2 (x~ - y~) G^T b
/// dL/dy = G^T dmu2 + y~ G^T r + 2 (x~ - y~) G^T b
/// ```
///
/// The work is split into the forward pass's tasks, a slab of input slices and a tile of input
/// rows each (``VolumeGeometry/task(_:)``), run in parallel. Each task recomputes the moments and
/// partials of the output slices and rows its voxels' windows reach (up to `windowSize / 2`
/// beyond each side) into a ring of `windowSize` partial slices, and finishes each input slice
/// as soon as the partials it needs are there: nothing of the volume's size is kept besides the
/// gradients.
///
/// - Parameters:
///   - x: the first volumes, whose gradient `dx` is.
///   - y: the second volumes, whose gradient `dy` is.
///   - v: the sizes and the border.
///   - k: the constants and the window.
///   - target: the SSIM map or the loss map (any reduction is in `upstream`).
///   - upstream: one value per output element, one per volume used for each of its elements,
///     or a single value used for every element.
///   - wantsY: whether to compute the gradient of `y` (an empty array is returned otherwise).
/// - Returns: the gradients, and the sums of the SSIM map (or of the loss map) on the way, one
///   per task, bit for bit the task sums ``ssim3DForward(_:_:geometry:constants:target:writesMap:)`` returns.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssim3DBackward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry v: VolumeGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget, upstream: [Scalar], wantsY: Bool
) -> (dx: [Scalar], dy: [Scalar], taskSums: [Double]) {
    precondition(upstream.count == 1 || upstream.count == v.outputCount || upstream.count == v.volumeCount)
    let perElement = upstream.count == v.outputCount && upstream.count > 1
    let tasksPerVolume = v.tasksPerVolume
    var sums: [Double] = [], dy: [Scalar] = []
    // Every element is written: each slab finishes every row of its slices.
    let dx: [Scalar] = filledArray(count: x.count) { dxs in
        dy = filledArray(count: wantsY ? y.count : 0) { dys in
            sums = withTaskInputs(x, y, window: k.window, upstream: upstream) { p in
                let shifts =
                    k.centresPlanes ? planeShifts(p.x, p.y, planes: v.volumeCount, planeSize: v.volumeSize) : [Scalar](repeating: 0, count: 2 * v.volumeCount)
                return resultsOfTasks(
                    v.volumeCount * tasksPerVolume, workspace: { VolumeBackwardWorkspace<Scalar>(geometry: v) },
                    deallocate: { $0.deallocate() }
                ) { task, workspace in
                    let volume = task / tasksPerVolume
                    let (slices, rows) = v.task(task % tasksPerVolume)
                    let offset = volume * v.volumeSize
                    return volumeBackwardTask(
                        x: p.x + offset, y: p.y + offset, shift1: shifts[2 * volume], shift2: shifts[2 * volume + 1],
                        geometry: v, constants: k, window: p.window!, target: target,
                        upstream: perElement ? p.upstream! + volume * v.outputVolumeSize : nil,
                        uniformUpstream: p.upstream![perElement || upstream.count == 1 ? 0 : volume], slices: slices, rows: rows,
                        dx: dxs!.base + offset, dy: dys.map { $0.base + offset }, workspace: workspace)
                }
            }
        }
    }
    return (dx, dy, sums)
}

/// The backward pass for input slices `slices` and input rows `rows` of one volume (see
/// ``ssim3DBackward(_:_:geometry:constants:target:upstream:wantsY:)``): the partials of the
/// output slices and rows whose windows reach these voxels, then for each input slice `D^T`
/// (gathering the partial slices that reach it), `H^T` row by row, `W^T`
/// (``AdjointScratch/spreadColumns(_:map:geometry:window:)``) and the gradients. Returns the
/// sum of the SSIM (or loss) of the output elements among `slices` and `rows`, summed as the
/// forward pass sums them.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func volumeBackwardTask<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar,
    geometry v: VolumeGeometry, constants k: SSIMConstants<Scalar>, window: UnsafePointer<Scalar>,
    target: KernelTarget, upstream: UnsafePointer<Scalar>?, uniformUpstream: Scalar,
    slices: Range<Int>, rows: Range<Int>, dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?,
    workspace ws: VolumeBackwardWorkspace<Scalar>
) -> Double {
    let half = v.half, taps = v.windowSize, g = v.slice, n = v.outputWidth
    let first = v.outputSlices.lowerBound, top = g.outputRows.lowerBound
    // The output slices and rows whose windows reach `slices` and `rows` (reflections included:
    // an output index reads only input indices within `half` of it).
    let sources = max(slices.lowerBound - half, first)..<min(slices.upperBound + half, v.outputSlices.upperBound)
    let sourceRows = max(rows.lowerBound - half, top)..<min(rows.upperBound + half, g.outputRows.upperBound)
    let h = sourceRows.count
    precondition(h <= ws.moments.rowCapacity)
    let stride = ws.moments.stride, gathered = ws.gathered, values = ws.moments.row
    let sourcePointers = ws.sourcePointers, scratch = ws.scratch
    // The four partial maps (mu1, mu2, b, r) of one output slice, map after map: row r of map m
    // at (m * h + r) * stride. A ring of `taps` of them: all that the next input slice needs.
    let partialSliceCount = 4 * h * stride
    func partialSlice(_ o: Int) -> UnsafeMutablePointer<Scalar> { ws.ring + (o % taps) * ws.partialSliceCapacity }
    let maps = dy == nil ? [0, 2, 3] : [0, 1, 2, 3]  // mu2's partial only feeds dy

    // D^T and H^T, the transposed filters along D and H (their borders folded back onto the
    // slices and rows they copied); the rows of H^T of this task's rows, with merged weights.
    let depth = AxisAdjoint(length: v.depth, half: half, border: .reflect, sources: sources, window: window)
    let vertical = AxisAdjoint(length: v.height, half: half, border: .reflect, sources: sourceRows, window: window)
    let rowTaps = rows.map { vertical.taps($0) }

    /// D^T, H^T, W^T and the gradients of input slice i.
    func finish(_ i: Int) {
        // D^T into `gathered`: the four maps of all rows at once.
        depth.apply(
            at: i, taps: depth.taps(i), row: { UnsafePointer(partialSlice($0)) }, pointers: sourcePointers,
            into: gathered, count: partialSliceCount)
        // H^T and W^T row by row, then the gradients of the row.
        for row in rows {
            for map in maps {
                vertical.apply(
                    at: row, taps: rowTaps[row - rows.lowerBound],
                    row: { UnsafePointer(gathered + (map * h + $0 - sourceRows.lowerBound) * stride) },
                    pointers: sourcePointers, into: scratch.gathered(0, map), count: stride)
                scratch.spreadColumns(scratch.gathered(0, map), map: map, geometry: g, window: window)
            }
            let offset = i * v.sliceSize + row * v.width
            InnerLoops.combine(
                x: x + offset, y: y + offset, shift1: shift1, shift2: shift2, scale: k.scale,
                mu1: scratch.result(0), mu2: scratch.result(1), b: scratch.result(2), r: scratch.result(3),
                count: v.width, dx: dx + offset, dy: dy.map { $0 + offset })
        }
    }

    // Input slice i can be finished once the output slices up to i + half have their partials.
    var next = slices.lowerBound
    var sum = 0.0
    forEachMomentSlice(
        x: x, y: y, shift1: shift1, shift2: shift2, scale: k.scale,
        geometry: v, window: window, slices: sources, rows: sourceRows, workspace: ws.moments
    ) { o, moments in
        let p = partialSlice(o)
        for r in sourceRows {
            let j = r - sourceRows.lowerBound
            func map(_ m: Int) -> UnsafeMutablePointer<Scalar> { p + (m * h + j) * stride }
            let rowSum = InnerLoops.partials(
                moments.rows(j), count: stride, valid: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale,
                constants: k, target: target,
                upstream: upstream.map { $0 + ((o - first) * v.outputHeight + r - top) * n },
                uniformUpstream: uniformUpstream, into: (map(0), map(1), map(2), map(3)), values: values)
            // Each output element belongs to the task of its own slice and row, as in the
            // forward pass (and is summed in the same order).
            if slices.contains(o) && rows.contains(r) { sum += rowSum }
        }
        while next < slices.upperBound && next + half <= o {
            finish(next)
            next += 1
        }
    }
    while next < slices.upperBound {
        finish(next)
        next += 1
    }
    return sum
}

/// Scratch memory of one task of the 3-D backward pass (see
/// ``volumeBackwardTask(x:y:shift1:shift2:geometry:constants:window:target:upstream:uniformUpstream:slices:rows:dx:dy:workspace:)``),
/// for tasks of up to a tile's rows and `windowSize / 2` beyond each side: the moments'
/// workspace, a ring of `windowSize` slices of the four partial maps, the slice `D^T` gathers,
/// and the rows of `H^T` and `W^T`; the ring and the gathered slice in a ``TaskMemory``.
struct VolumeBackwardWorkspace<Scalar: SSIMScalar> {
    let moments: VolumeMomentWorkspace<Scalar>
    /// Scalars of one slot of `ring`: four maps of `moments.rowCapacity` rows.
    let partialSliceCapacity: Int
    let ring: UnsafeMutablePointer<Scalar>
    let gathered: UnsafeMutablePointer<Scalar>
    let sourcePointers: UnsafeMutablePointer<UnsafePointer<Scalar>>
    let scratch: AdjointScratch<Scalar>
    private let memory: TaskMemory

    init(geometry v: VolumeGeometry) {
        moments = VolumeMomentWorkspace(geometry: v, rowCapacity: min(v.rowsPerTile + 2 * v.half, v.outputHeight))
        partialSliceCapacity = 4 * moments.rowCapacity * moments.stride
        memory = TaskMemory(bytes: TaskMemory.bytes(holding: [v.windowSize * partialSliceCapacity, partialSliceCapacity], of: Scalar.self))
        ring = memory.allocate(v.windowSize * partialSliceCapacity)
        gathered = memory.allocate(partialSliceCapacity)
        sourcePointers = .allocate(capacity: 3 * v.windowSize + 3)
        scratch = AdjointScratch(geometry: v.slice, stride: moments.stride)
    }

    func deallocate() {
        moments.deallocate(); memory.deallocate(); sourcePointers.deallocate(); scratch.deallocate()
    }
}
