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

/// The terms of the SSIM formula at one pixel, from its centred moments (see ``MomentRow``):
///
/// ```
/// A = 2 mu1 mu2 + C1,   B = 2 sigma12 + C2,   C = mu1^2 + mu2^2 + C1,   D = sigma1 + sigma2 + C2
/// SSIM = A B / (C D + eps)
/// ```
struct SSIMTerms<Scalar: SSIMScalar> {
    let mu1c: Scalar, mu2c: Scalar, mu1: Scalar, mu2: Scalar
    let sigma1: Scalar, sigma2: Scalar, sigma12: Scalar
    let a: Scalar, b: Scalar, c: Scalar, d: Scalar
    /// `C D + eps`.
    let denominator: Scalar

    @inline(__always)
    init(_ m: MomentRow<Scalar>, _ i: Int, shift1: Scalar, shift2: Scalar, _ k: SSIMConstants<Scalar>) {
        mu1c = m.mu1[i]; mu2c = m.mu2[i]
        mu1 = mu1c + shift1; mu2 = mu2c + shift2
        sigma1 = m.e11[i] - mu1c * mu1c
        sigma2 = m.e22[i] - mu2c * mu2c
        sigma12 = m.e12[i] - mu1c * mu2c
        a = 2 * mu1 * mu2 + k.c1
        b = 2 * sigma12 + k.c2
        c = mu1 * mu1 + mu2 * mu2 + k.c1
        d = sigma1 + sigma2 + k.c2
        denominator = c * d + k.eps
    }

    @inline(__always) var ssim: Scalar { a * b / denominator }

    /// `(1 - SSIM) / 2` before the clamp, computed without cancelling against 1:
    ///
    /// ```
    /// C D - A B = C dB + dA B,  dA = C - A = (mu1 - mu2)^2,  dB = D - B = sigma1 + sigma2 - 2 sigma12
    /// (1 - SSIM) / 2 = (C dB + dA B + eps) / (2 (C D + eps))
    /// ```
    ///
    /// so identical images give exactly `eps / (2 (C D + eps))` and near-identical ones keep their
    /// digits in Float.
    @inline(__always)
    func dissimilarity(_ k: SSIMConstants<Scalar>) -> Scalar {
        let difference = mu1 - mu2
        let dA = difference * difference
        let dB = sigma1 + sigma2 - 2 * sigma12
        return (c * dB + dA * b + k.eps) / (2 * denominator)
    }
}

extension SSIMTerms {
    /// Parts of the partials of the backward (see
    /// ``ssimBackward(_:_:geometry:constants:target:upstream:wantsY:)``), each times `den / 2`,
    /// in forms that do not cancel when the images are nearly identical:
    ///
    /// ```
    /// mean1 = mu2 B - mu1 S D = B (D (mu2 - mu1)(mu2 (mu1 + mu2) + C1) + mu2 eps) / den
    /// mean2 = mu1 B - mu2 S D   (the same with 1 and 2 swapped)
    /// excess = A - S C = A (C dB + eps) / den,      dB = sigma1 + sigma2 - 2 sigma12
    /// ```
    @inline(__always)
    func backwardParts(_ k: SSIMConstants<Scalar>) -> (mean1: Scalar, mean2: Scalar, excess: Scalar) {
        let dB = sigma1 + sigma2 - 2 * sigma12
        let sum = mu1 + mu2
        let mean1 = b * (d * (mu2 - mu1) * (mu2 * sum + k.c1) + mu2 * k.eps) / denominator
        let mean2 = b * (d * (mu1 - mu2) * (mu1 * sum + k.c1) + mu1 * k.eps) / denominator
        let excess = a * (c * dB + k.eps) / denominator
        return (mean1, mean2, excess)
    }
}

/// `clamp(value, 0, 1)`, NaN passing through as in torch.
@inline(__always)
func clampUnit<Scalar: SSIMScalar>(_ value: Scalar) -> Scalar {
    if value < 0 { return 0 }
    if value > 1 { return 1 }
    return value
}

/// The per-plane shifts that centre the moments of each image (see ``MomentRow``), computed in
/// parallel: `shifts[2 p]` for plane `p` of `x`, `shifts[2 p + 1]` for plane `p` of `y`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func planeShifts<Scalar: SSIMScalar>(_ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, planes: Int, planeSize: Int) -> [Scalar] {
    var shifts = [Scalar](repeating: 0, count: 2 * planes)
    shifts.withUnsafeMutableBufferPointer { out in
        let shared = SharedPointer(base: out.baseAddress!)
        let xs = SharedPointer(base: UnsafeMutablePointer(mutating: x))
        let ys = SharedPointer(base: UnsafeMutablePointer(mutating: y))
        DispatchQueue.concurrentPerform(iterations: 2 * planes) { i in
            let source = i % 2 == 0 ? xs.base : ys.base
            shared.base[i] = planeShift(source + (i / 2) * planeSize, count: planeSize)
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
        // An empty array's base address may be the shared empty storage: never write through it.
        let out = output == .lossSum ? nil : vb.baseAddress.map { SharedPointer(base: $0) }
        let sums = SharedPointer(base: sb.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: tasks) { task in
            let plane = task / bandsPerPlane, band = task % bandsPerPlane
            let firstRow = g.outputRows.lowerBound + band * rowsPerBand
            let rows = firstRow..<min(firstRow + rowsPerBand, g.outputRows.upperBound)
            let workspace = MomentWorkspace<Scalar>(geometry: g, bandRows: rowsPerBand)
            defer { workspace.deallocate() }
            let shift1 = shifts[2 * plane], shift2 = shifts[2 * plane + 1]
            let n = g.outputWidth
            var bandSum = 0.0
            forEachMomentRow(
                x: xs.base + plane * g.planeSize, y: ys.base + plane * g.planeSize, shift1: shift1, shift2: shift2,
                geometry: g, window: ws.base, rows: rows, workspace: workspace
            ) { r, m in
                let destination = out.map { $0.base + plane * g.outputPlaneSize + (r - g.outputRows.lowerBound) * n }
                var rowSum = 0.0
                for c in 0..<n {
                    let terms = SSIMTerms(m, c, shift1: shift1, shift2: shift2, k)
                    let value = output == .ssimMap ? terms.ssim : clampUnit(terms.dissimilarity(k))
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
