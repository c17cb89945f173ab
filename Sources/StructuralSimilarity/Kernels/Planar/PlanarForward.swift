import Dispatch

/// What the forward kernel writes for every output element.
enum ForwardOutput: Sendable {
    /// The SSIM map.
    case ssimMap
    /// The loss map `clamp((1 - SSIM) / 2, 0, 1)`.
    case lossMap
    /// Nothing per element: only the sum of the loss map.
    case lossSum
}

/// Image rows per task (see ``SSIMGeometry/bandsPerPlane``).
let rowsPerBand = 128

/// The forward SSIM of a batch of planes: writes the map or loss map (unless `.lossSum`) and
/// returns the sum of what it computed (SSIM values for `.ssimMap`, losses otherwise), summed
/// in `Double` in a fixed order.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimForward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    output: ForwardOutput
) -> (values: [Scalar], sum: Double) {
    let window = k.window
    let bandsPerPlane = g.bandsPerPlane
    let tasks = g.planeCount * bandsPerPlane
    // Every element is written: the bands cover all output rows.
    var values: [Scalar] = arrayToFill(count: output == .lossSum ? 0 : g.outputCount)
    var partialSums = [Double](repeating: 0, count: tasks)

    x.withUnsafeBufferPointer { xb in
    y.withUnsafeBufferPointer { yb in
    window.withUnsafeBufferPointer { wb in
    values.withUnsafeMutableBufferPointer { vb in
    partialSums.withUnsafeMutableBufferPointer { sb in
        let shifts = PlaneShifts(xb.baseAddress!, yb.baseAddress!, geometry: g, centres: k.centresPlanes)
        let xs = SharedPointer(base: UnsafeMutablePointer(mutating: xb.baseAddress!))
        let ys = SharedPointer(base: UnsafeMutablePointer(mutating: yb.baseAddress!))
        let ws = SharedPointer(base: UnsafeMutablePointer(mutating: wb.baseAddress!))
        // An empty array's base address may be the shared empty storage: never write through it.
        let out = output == .lossSum ? nil : vb.baseAddress.map { SharedPointer(base: $0) }
        let sums = SharedPointer(base: sb.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: tasks) { task in
            let plane = task / bandsPerPlane, band = task % bandsPerPlane
            // The output rows among the band's image rows (none, for `valid`, in a band within
            // windowSize / 2 of the bottom edge).
            let rows = g.band(band).clamped(to: g.outputRows)
            guard !rows.isEmpty else { return }
            let workspace = MomentWorkspace<Scalar>(geometry: g)
            let row: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(workspace.stride)
            defer { workspace.deallocate(); row.deallocate() }
            let (shift1, shift2) = shifts(plane: plane)
            let n = g.outputWidth
            var bandSum = 0.0
            forEachMomentRow(
                x: xs.base + plane * g.planeSize, y: ys.base + plane * g.planeSize, shift1: shift1, shift2: shift2, scale: k.scale,
                geometry: g, window: ws.base, rows: rows, workspace: workspace
            ) { r, m in
                let destination = out.map { $0.base + plane * g.outputPlaneSize + (r - g.outputRows.lowerBound) * n }
                bandSum += InnerLoops.formula(
                    m, count: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k,
                    dissimilarity: output != .ssimMap, into: destination ?? row)
            }
            sums.base[task] = bandSum
        }
    }}}}}
    return (values, partialSums.reduce(0, +))
}
