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
/// Two passes, each parallel over volumes and slabs of slices:
/// 1. the moments of every output slice (the forward's slabs, so the loss is summed exactly as
///    the forward pass sums it) and their four partials (`mu1`, `mu2`, `b`, `r`), kept for the
///    whole output: four arrays of the output's size (rows padded to 16);
/// 2. for each input slice, `D^T` gathers the partial slices whose windows reach it, then
///    `H^T` and `W^T` (the 2-D adjoint, row by row) and the gradients of that slice.
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
    let stride = InnerLoops.padded(v.outputWidth)
    // The four partial maps of one output slice, map after map: row r of map m at
    // (m * outputHeight + r) * stride.
    let partialSliceCount = 4 * v.outputHeight * stride
    // Every element is written: pass 1 fills every row of every output slice (the padding
    // columns too), pass 2 every row of every input slice.
    var partials: [Scalar] = arrayToFill(count: v.volumeCount * v.outputDepth * partialSliceCount)
    var dx: [Scalar] = arrayToFill(count: x.count)
    var dy: [Scalar] = arrayToFill(count: wantsY ? y.count : 0)
    let slabs = v.slabsPerVolume, inputSlabs = v.inputSlabsPerVolume
    var partialSums = [Double](repeating: 0, count: v.volumeCount * slabs)

    x.withUnsafeBufferPointer { xb in
    y.withUnsafeBufferPointer { yb in
    window.withUnsafeBufferPointer { wb in
    upstream.withUnsafeBufferPointer { ub in
    partials.withUnsafeMutableBufferPointer { pb in
    dx.withUnsafeMutableBufferPointer { dxb in
    dy.withUnsafeMutableBufferPointer { dyb in
    partialSums.withUnsafeMutableBufferPointer { sb in
        let shifts = planeShifts(xb.baseAddress!, yb.baseAddress!, planes: v.volumeCount, planeSize: v.volumeSize)
        let xs = SharedPointer(base: UnsafeMutablePointer(mutating: xb.baseAddress!))
        let ys = SharedPointer(base: UnsafeMutablePointer(mutating: yb.baseAddress!))
        let ws = SharedPointer(base: UnsafeMutablePointer(mutating: wb.baseAddress!))
        let us = SharedPointer(base: UnsafeMutablePointer(mutating: ub.baseAddress!))
        let ps = SharedPointer(base: pb.baseAddress!)
        let dxs = SharedPointer(base: dxb.baseAddress!)
        // An empty array's base address may be the shared empty storage: never write through it.
        let dys = wantsY ? dyb.baseAddress.map { SharedPointer(base: $0) } : nil
        let sums = SharedPointer(base: sb.baseAddress!)

        // Pass 1: the partials of every output element.
        DispatchQueue.concurrentPerform(iterations: v.volumeCount * slabs) { task in
            let volume = task / slabs, slab = task % slabs
            let workspace = VolumeMomentWorkspace<Scalar>(geometry: v)
            let values = UnsafeMutablePointer<Scalar>.allocate(capacity: stride)
            defer { workspace.deallocate(); values.deallocate() }
            let shift1 = shifts[2 * volume], shift2 = shifts[2 * volume + 1]
            let n = v.outputWidth, h = v.outputHeight, first = v.outputSlices.lowerBound
            var slabSum = 0.0
            forEachMomentSlice(
                x: xs.base + volume * v.volumeSize, y: ys.base + volume * v.volumeSize,
                shift1: shift1, shift2: shift2, scale: k.scale,
                geometry: v, window: ws.base, slices: v.slab(slab), workspace: workspace
            ) { o, moments in
                let slice = (volume * v.outputDepth + o - first)
                let p = ps.base + slice * partialSliceCount
                for r in 0..<h {
                    func map(_ m: Int) -> UnsafeMutablePointer<Scalar> { p + (m * h + r) * stride }
                    slabSum += InnerLoops.partials(
                        moments.rows(r), count: stride, valid: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale,
                        constants: k, target: target,
                        upstream: upstream.count == 1 ? nil : UnsafePointer(us.base + (slice * h + r) * n),
                        uniformUpstream: us.base[0], into: (map(0), map(1), map(2), map(3)), values: values)
                }
            }
            sums.base[task] = slabSum
        }

        // Pass 2: the adjoint filter and the gradients of every input slice.
        DispatchQueue.concurrentPerform(iterations: v.volumeCount * inputSlabs) { task in
            let volume = task / inputSlabs, slab = task % inputSlabs
            volumeAdjoint(
                x: xs.base + volume * v.volumeSize, y: ys.base + volume * v.volumeSize,
                shift1: shifts[2 * volume], shift2: shifts[2 * volume + 1], geometry: v, constants: k,
                window: ws.base, partials: ps.base + volume * v.outputDepth * partialSliceCount, stride: stride,
                slices: v.inputSlab(slab),
                dx: dxs.base + volume * v.volumeSize, dy: dys.map { $0.base + volume * v.volumeSize })
        }
    }}}}}}}}
    return (dx, dy, partialSums.reduce(0, +))
}

/// Pass 2 of ``ssim3DBackward(_:_:geometry:constants:target:upstream:wantsY:)`` for the input
/// slices `slices` of one volume: `D^T` gathers the partial slices whose windows reach each
/// input slice (`partials`: the volume's output slices, four maps each), then `H^T` row by row
/// and `W^T` (``AdjointScratch/spreadColumns(_:into:geometry:window:)``), and the gradients.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func volumeAdjoint<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar,
    geometry v: VolumeGeometry, constants k: SSIMConstants<Scalar>, window: UnsafePointer<Scalar>,
    partials: UnsafePointer<Scalar>, stride: Int, slices: Range<Int>,
    dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?
) {
    let half = v.half, taps = v.windowSize, g = v.slice, h = v.outputHeight, width = v.width
    let partialSliceCount = 4 * h * stride
    let outputSlices = v.outputSlices, outputRows = g.outputRows, top = outputRows.lowerBound
    let gathered = UnsafeMutablePointer<Scalar>.allocate(capacity: partialSliceCount)
    let sources = UnsafeMutablePointer<UnsafePointer<Scalar>>.allocate(capacity: 3 * taps + 3)
    let scratch = AdjointScratch<Scalar>(geometry: g, stride: stride)
    defer { gathered.deallocate(); sources.deallocate(); scratch.deallocate() }
    let maps = dy == nil ? [0, 2, 3] : [0, 1, 2, 3]   // mu2's partial only feeds dy
    func partialSlice(_ o: Int) -> UnsafePointer<Scalar> { partials + (o - outputSlices.lowerBound) * partialSliceCount }

    /// Whether the transposed filter along an axis at index i is the plain symmetric window:
    /// no border reflects onto i, and every output index it reaches exists.
    func interior(_ i: Int, length: Int, outputs: Range<Int>) -> Bool {
        i > half && i < length - 1 - half && i - half >= outputs.lowerBound && i + half < outputs.upperBound
    }
    // The rows of H^T near the borders, with their merged weights.
    let rowTaps = (0..<v.height).map { i in
        interior(i, length: v.height, outputs: outputRows) ? nil : AdjointTaps(target: i, geometry: g, sources: outputRows, window: window)
    }

    for i in slices {
        // D^T into `gathered`: the four maps of all rows at once.
        if interior(i, length: v.depth, outputs: outputSlices) {
            for j in 0..<taps { sources[j] = partialSlice(i - half + j) }
            InnerLoops.symmetricSum(rows: sources, window: window, half: half, into: gathered, count: partialSliceCount)
        } else {
            let adjoint = AdjointTaps(target: i, geometry: v.depthAxis, sources: outputSlices, window: window)
            for (j, source) in adjoint.sources.enumerated() { sources[j] = partialSlice(source) }
            adjoint.weights.withUnsafeBufferPointer { weights in
                InnerLoops.weightedSum(rows: sources, weights: weights.baseAddress!, rowCount: adjoint.sources.count, into: gathered, count: partialSliceCount)
            }
        }
        // H^T, W^T and the gradients, row by row.
        let sliceOffset = i * v.sliceSize
        for row in 0..<v.height {
            for map in maps {
                func gatheredRow(_ r: Int) -> UnsafePointer<Scalar> { UnsafePointer(gathered + (map * h + r - top) * stride) }
                if let adjoint = rowTaps[row] {
                    for (j, source) in adjoint.sources.enumerated() { sources[j] = gatheredRow(source) }
                    adjoint.weights.withUnsafeBufferPointer { weights in
                        InnerLoops.weightedSum(
                            rows: sources, weights: weights.baseAddress!, rowCount: adjoint.sources.count,
                            into: scratch.gathered(0, map), count: stride)
                    }
                } else {
                    for j in 0..<taps { sources[j] = gatheredRow(row - half + j) }
                    InnerLoops.symmetricSum(rows: sources, window: window, half: half, into: scratch.gathered(0, map), count: stride)
                }
                scratch.spreadColumns(scratch.gathered(0, map), into: scratch.result(map), geometry: g, window: window)
            }
            let offset = sliceOffset + row * width
            InnerLoops.combine(
                x: x + offset, y: y + offset, shift1: shift1, shift2: shift2, scale: k.scale,
                mu1: scratch.result(0), mu2: scratch.result(1), b: scratch.result(2), r: scratch.result(3),
                count: width, dx: dx + offset, dy: dy.map { $0 + offset })
        }
    }
}
