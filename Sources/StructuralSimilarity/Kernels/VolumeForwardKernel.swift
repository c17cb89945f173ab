import Dispatch

/// The forward 3-D SSIM of a batch of volumes: writes the map or loss map (unless `.lossSum`)
/// and returns the sum of what it computed (SSIM values for `.ssimMap`, losses otherwise),
/// summed in `Double` in a fixed order.
///
/// Each volume is centred on its own mean (one shift per volume and image, as a 2-D plane is
/// centred on its plane mean) and its moments come from
/// ``forEachMomentSlice(x:y:shift1:shift2:scale:geometry:window:slices:workspace:_:)``; the
/// formula is the 2-D one (`ssim_formula_f`). The work is split into slabs of slices
/// (``VolumeGeometry/slabsPerVolume``) run in parallel; each slab filters the input slices its
/// windows reach (up to `windowSize / 2` beyond each side).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssim3DForward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry v: VolumeGeometry, constants k: SSIMConstants<Scalar>,
    output: ForwardOutput
) -> (values: [Scalar], sum: Double) {
    let window: [Scalar] = gaussianWindow(size: v.windowSize)
    let slabs = v.slabsPerVolume
    let tasks = v.volumeCount * slabs
    // Every element is written: the slabs cover all output slices.
    var values: [Scalar] = arrayToFill(count: output == .lossSum ? 0 : v.outputCount)
    var partialSums = [Double](repeating: 0, count: tasks)

    x.withUnsafeBufferPointer { xb in
    y.withUnsafeBufferPointer { yb in
    window.withUnsafeBufferPointer { wb in
    values.withUnsafeMutableBufferPointer { vb in
    partialSums.withUnsafeMutableBufferPointer { sb in
        let shifts = planeShifts(xb.baseAddress!, yb.baseAddress!, planes: v.volumeCount, planeSize: v.volumeSize)
        let xs = SharedPointer(base: UnsafeMutablePointer(mutating: xb.baseAddress!))
        let ys = SharedPointer(base: UnsafeMutablePointer(mutating: yb.baseAddress!))
        let ws = SharedPointer(base: UnsafeMutablePointer(mutating: wb.baseAddress!))
        // An empty array's base address may be the shared empty storage: never write through it.
        let out = output == .lossSum ? nil : vb.baseAddress.map { SharedPointer(base: $0) }
        let sums = SharedPointer(base: sb.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: tasks) { task in
            let volume = task / slabs, slab = task % slabs
            // The output slices among the slab's input slices (none, for `valid`, in a slab
            // within windowSize / 2 of the back face).
            let slices = v.slab(slab).clamped(to: v.outputSlices)
            guard !slices.isEmpty else { return }
            let workspace = VolumeMomentWorkspace<Scalar>(geometry: v)
            let row = UnsafeMutablePointer<Scalar>.allocate(capacity: workspace.stride)
            defer { workspace.deallocate(); row.deallocate() }
            let shift1 = shifts[2 * volume], shift2 = shifts[2 * volume + 1]
            let n = v.outputWidth, first = v.outputSlices.lowerBound
            var slabSum = 0.0
            forEachMomentSlice(
                x: xs.base + volume * v.volumeSize, y: ys.base + volume * v.volumeSize,
                shift1: shift1, shift2: shift2, scale: k.scale,
                geometry: v, window: ws.base, slices: slices, workspace: workspace
            ) { o, moments in
                let sliceOutput = out.map { $0.base + volume * v.outputVolumeSize + (o - first) * v.outputSliceSize }
                for r in 0..<v.outputHeight {
                    slabSum += InnerLoops.formula(
                        moments.rows(r), count: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k,
                        dissimilarity: output != .ssimMap, into: sliceOutput.map { $0 + r * n } ?? row)
                }
            }
            sums.base[task] = slabSum
        }
    }}}}}
    return (values, partialSums.reduce(0, +))
}
