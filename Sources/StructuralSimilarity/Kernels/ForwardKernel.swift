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

/// Output rows per task. Fixed, so that the partial sums, and hence the results, do not depend
/// on the number of threads.
let rowsPerBand = 32

/// The SSIM of one pixel from its centred moments (see ``MomentRow``):
///
/// ```
/// SSIM = (2 mu1 mu2 + C1)(2 sigma12 + C2) / ((mu1^2 + mu2^2 + C1)(sigma1 + sigma2 + C2) + eps)
/// ```
@inline(__always)
func ssimFormula<Scalar: SSIMScalar>(
    mu1c: Scalar, mu2c: Scalar, e11: Scalar, e22: Scalar, e12: Scalar, shift: Scalar,
    _ k: SSIMConstants<Scalar>
) -> Scalar {
    let mu1 = mu1c + shift, mu2 = mu2c + shift
    let sigma1 = e11 - mu1c * mu1c, sigma2 = e22 - mu2c * mu2c, sigma12 = e12 - mu1c * mu2c
    let numerator = (2 * mu1 * mu2 + k.c1) * (2 * sigma12 + k.c2)
    let denominator = (mu1 * mu1 + mu2 * mu2 + k.c1) * (sigma1 + sigma2 + k.c2)
    return numerator / (denominator + k.eps)
}

/// `clamp((1 - ssim) / 2, 0, 1)`, NaN passing through as in torch.
@inline(__always)
func dssim<Scalar: SSIMScalar>(_ ssim: Scalar) -> Scalar {
    let value = (1 - ssim) / 2
    if value < 0 { return 0 }
    if value > 1 { return 1 }
    return value
}

/// The per-plane shifts that centre the moments (see ``MomentRow``), computed in parallel.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func planeShifts<Scalar: SSIMScalar>(_ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, planes: Int, planeSize: Int) -> [Scalar] {
    var shifts = [Scalar](repeating: 0, count: planes)
    shifts.withUnsafeMutableBufferPointer { out in
        let shared = SharedPointer(base: out.baseAddress!)
        let xs = SharedPointer(base: UnsafeMutablePointer(mutating: x))
        let ys = SharedPointer(base: UnsafeMutablePointer(mutating: y))
        DispatchQueue.concurrentPerform(iterations: planes) { p in
            shared.base[p] = planeShift(xs.base + p * planeSize, ys.base + p * planeSize, count: planeSize)
        }
    }
    return shifts
}

/// The forward SSIM of a batch of planes: writes the map or loss map (unless `.lossSum`) and
/// returns the sum of what it computed (SSIM values for `.ssimMap`, losses otherwise), summed
/// in `Double` in a fixed order.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimForward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    output: ForwardOutput
) -> (values: [Scalar], sum: Double) {
    let window: [Scalar] = gaussianWindow(size: g.windowSize)
    let bandsPerPlane = (g.outputHeight + rowsPerBand - 1) / rowsPerBand
    let tasks = g.planeCount * bandsPerPlane
    var values = [Scalar](repeating: 0, count: output == .lossSum ? 0 : g.outputCount)
    var partialSums = [Double](repeating: 0, count: tasks)

    x.withUnsafeBufferPointer { xb in
    y.withUnsafeBufferPointer { yb in
    window.withUnsafeBufferPointer { wb in
    values.withUnsafeMutableBufferPointer { vb in
    partialSums.withUnsafeMutableBufferPointer { sb in
        let shifts = planeShifts(xb.baseAddress!, yb.baseAddress!, planes: g.planeCount, planeSize: g.planeSize)
        let xs = SharedPointer(base: UnsafeMutablePointer(mutating: xb.baseAddress!))
        let ys = SharedPointer(base: UnsafeMutablePointer(mutating: yb.baseAddress!))
        let ws = SharedPointer(base: UnsafeMutablePointer(mutating: wb.baseAddress!))
        let out = vb.baseAddress.map { SharedPointer(base: $0) }
        let sums = SharedPointer(base: sb.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: tasks) { task in
            let plane = task / bandsPerPlane, band = task % bandsPerPlane
            let firstRow = g.outputRows.lowerBound + band * rowsPerBand
            let rows = firstRow..<min(firstRow + rowsPerBand, g.outputRows.upperBound)
            let workspace = MomentWorkspace<Scalar>(geometry: g, bandRows: rowsPerBand)
            defer { workspace.deallocate() }
            let shift = shifts[plane]
            let n = g.outputWidth
            var bandSum = 0.0
            forEachMomentRow(
                x: xs.base + plane * g.planeSize, y: ys.base + plane * g.planeSize, shift: shift,
                geometry: g, window: ws.base, rows: rows, workspace: workspace
            ) { r, m in
                let destination = out.map { $0.base + plane * g.outputPlaneSize + (r - g.outputRows.lowerBound) * n }
                var rowSum = 0.0
                for c in 0..<n {
                    let s = ssimFormula(mu1c: m.mu1[c], mu2c: m.mu2[c], e11: m.e11[c], e22: m.e22[c], e12: m.e12[c], shift: shift, k)
                    let value = output == .ssimMap ? s : dssim(s)
                    destination?[c] = value
                    rowSum += Double(value)
                }
                bandSum += rowSum
            }
            sums.base[task] = bandSum
        }
    }}}}}
    return (values, partialSums.reduce(0, +))
}
