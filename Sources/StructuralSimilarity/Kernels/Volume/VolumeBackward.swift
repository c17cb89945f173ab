import Dispatch

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
///   - upstream: one value per output element, or a single value used for every element.
///   - wantsY: whether to compute the gradient of `y` (an empty array is returned otherwise).
/// - Returns: the gradients, and the sum of the SSIM map (or of the loss map) on the way, bit
///   for bit the sum ``ssim3DForward(_:_:geometry:constants:output:)`` returns.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssim3DBackward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry v: VolumeGeometry, constants k: SSIMConstants<Scalar>,
    target: BackwardTarget, upstream: [Scalar], wantsY: Bool
) -> (dx: [Scalar], dy: [Scalar], sum: Double) {
    precondition(upstream.count == 1 || upstream.count == v.outputCount)
    let window: [Scalar] = gaussianWindow(size: v.windowSize)
    // Every element is written: each slab finishes every row of its slices.
    var dx: [Scalar] = arrayToFill(count: x.count)
    var dy: [Scalar] = arrayToFill(count: wantsY ? y.count : 0)
    let tasksPerVolume = v.tasksPerVolume
    var partialSums = [Double](repeating: 0, count: v.volumeCount * tasksPerVolume)

    x.withUnsafeBufferPointer { xb in
    y.withUnsafeBufferPointer { yb in
    window.withUnsafeBufferPointer { wb in
    upstream.withUnsafeBufferPointer { ub in
    dx.withUnsafeMutableBufferPointer { dxb in
    dy.withUnsafeMutableBufferPointer { dyb in
    partialSums.withUnsafeMutableBufferPointer { sb in
        let shifts = planeShifts(xb.baseAddress!, yb.baseAddress!, planes: v.volumeCount, planeSize: v.volumeSize)
        let xs = SharedPointer(base: UnsafeMutablePointer(mutating: xb.baseAddress!))
        let ys = SharedPointer(base: UnsafeMutablePointer(mutating: yb.baseAddress!))
        let ws = SharedPointer(base: UnsafeMutablePointer(mutating: wb.baseAddress!))
        let us = SharedPointer(base: UnsafeMutablePointer(mutating: ub.baseAddress!))
        let dxs = SharedPointer(base: dxb.baseAddress!)
        // An empty array's base address may be the shared empty storage: never write through it.
        let dys = wantsY ? dyb.baseAddress.map { SharedPointer(base: $0) } : nil
        let sums = SharedPointer(base: sb.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: v.volumeCount * tasksPerVolume) { task in
            let volume = task / tasksPerVolume
            let (slices, rows) = v.task(task % tasksPerVolume)
            let offset = volume * v.volumeSize
            sums.base[task] = volumeBackwardTask(
                x: xs.base + offset, y: ys.base + offset, shift1: shifts[2 * volume], shift2: shifts[2 * volume + 1],
                geometry: v, constants: k, window: ws.base, target: target,
                upstream: upstream.count == 1 ? nil : UnsafePointer(us.base + volume * v.outputVolumeSize),
                uniformUpstream: us.base[0], slices: slices, rows: rows,
                dx: dxs.base + offset, dy: dys.map { $0.base + offset })
        }
    }}}}}}}
    return (dx, dy, partialSums.reduce(0, +))
}

/// The backward pass for input slices `slices` and input rows `rows` of one volume (see
/// ``ssim3DBackward(_:_:geometry:constants:target:upstream:wantsY:)``): the partials of the
/// output slices and rows whose windows reach these voxels, then for each input slice `D^T`
/// (gathering the partial slices that reach it), `H^T` row by row, `W^T`
/// (``AdjointScratch/spreadColumns(_:into:geometry:window:)``) and the gradients. Returns the
/// sum of the SSIM (or loss) of the output elements among `slices` and `rows`, summed as the
/// forward pass sums them.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func volumeBackwardTask<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar,
    geometry v: VolumeGeometry, constants k: SSIMConstants<Scalar>, window: UnsafePointer<Scalar>,
    target: BackwardTarget, upstream: UnsafePointer<Scalar>?, uniformUpstream: Scalar,
    slices: Range<Int>, rows: Range<Int>, dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?
) -> Double {
    let half = v.half, taps = v.windowSize, g = v.slice, n = v.outputWidth
    let first = v.outputSlices.lowerBound, top = g.outputRows.lowerBound
    // The output slices and rows whose windows reach `slices` and `rows` (reflections included:
    // an output index reads only input indices within `half` of it).
    let sources = max(slices.lowerBound - half, first)..<min(slices.upperBound + half, v.outputSlices.upperBound)
    let sourceRows = max(rows.lowerBound - half, top)..<min(rows.upperBound + half, g.outputRows.upperBound)
    let h = sourceRows.count
    let workspace = VolumeMomentWorkspace<Scalar>(geometry: v, rowCapacity: h)
    let stride = workspace.stride
    // The four partial maps (mu1, mu2, b, r) of one output slice, map after map: row r of map m
    // at (m * h + r) * stride. A ring of `taps` of them: all that the next input slice needs.
    let partialSliceCount = 4 * h * stride
    let ring: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(taps * partialSliceCount)
    let gathered: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(partialSliceCount)
    let values: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(stride)
    let sourcePointers = UnsafeMutablePointer<UnsafePointer<Scalar>>.allocate(capacity: 3 * taps + 3)
    let scratch = AdjointScratch<Scalar>(geometry: g, stride: stride)
    defer {
        workspace.deallocate(); ring.deallocate(); gathered.deallocate(); values.deallocate()
        sourcePointers.deallocate(); scratch.deallocate()
    }
    func partialSlice(_ o: Int) -> UnsafeMutablePointer<Scalar> { ring + (o % taps) * partialSliceCount }
    let maps = dy == nil ? [0, 2, 3] : [0, 1, 2, 3]   // mu2's partial only feeds dy

    /// Whether the transposed filter along an axis at index i is the plain symmetric window:
    /// no border reflects onto i, and every output index it reaches is at hand.
    func interior(_ i: Int, length: Int, outputs: Range<Int>) -> Bool {
        i > half && i < length - 1 - half && i - half >= outputs.lowerBound && i + half < outputs.upperBound
    }
    // The rows of H^T near the top and bottom of the image or of the source rows, with their
    // merged weights.
    let rowTaps = rows.map { i in
        interior(i, length: v.height, outputs: sourceRows) ? nil : AdjointTaps(target: i, geometry: g, sources: sourceRows, window: window)
    }

    /// D^T, H^T, W^T and the gradients of input slice i.
    func finish(_ i: Int) {
        // D^T into `gathered`: the four maps of all rows at once.
        if interior(i, length: v.depth, outputs: sources) {
            for j in 0..<taps { sourcePointers[j] = UnsafePointer(partialSlice(i - half + j)) }
            InnerLoops.symmetricSum(rows: sourcePointers, window: window, half: half, into: gathered, count: partialSliceCount)
        } else {
            let adjoint = AdjointTaps(target: i, geometry: v.depthAxis, sources: sources, window: window)
            for (j, source) in adjoint.sources.enumerated() { sourcePointers[j] = UnsafePointer(partialSlice(source)) }
            adjoint.weights.withUnsafeBufferPointer { weights in
                InnerLoops.weightedSum(
                    rows: sourcePointers, weights: weights.baseAddress!, rowCount: adjoint.sources.count,
                    into: gathered, count: partialSliceCount)
            }
        }
        // H^T and W^T row by row, then the gradients of the row.
        for row in rows {
            for map in maps {
                func gatheredRow(_ r: Int) -> UnsafePointer<Scalar> { UnsafePointer(gathered + (map * h + r - sourceRows.lowerBound) * stride) }
                if let adjoint = rowTaps[row - rows.lowerBound] {
                    for (j, source) in adjoint.sources.enumerated() { sourcePointers[j] = gatheredRow(source) }
                    adjoint.weights.withUnsafeBufferPointer { weights in
                        InnerLoops.weightedSum(
                            rows: sourcePointers, weights: weights.baseAddress!, rowCount: adjoint.sources.count,
                            into: scratch.gathered(0, map), count: stride)
                    }
                } else {
                    for j in 0..<taps { sourcePointers[j] = gatheredRow(row - half + j) }
                    InnerLoops.symmetricSum(rows: sourcePointers, window: window, half: half, into: scratch.gathered(0, map), count: stride)
                }
                scratch.spreadColumns(scratch.gathered(0, map), into: scratch.result(map), geometry: g, window: window)
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
        geometry: v, window: window, slices: sources, rows: sourceRows, workspace: workspace
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
