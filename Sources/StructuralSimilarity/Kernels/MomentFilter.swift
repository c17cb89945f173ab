/// The five Gaussian-filtered moments of one output row, each image centred on its plane's
/// mean (`a` for `x`, `b` for `y`):
///
/// ```
/// mu1 = G * (x - a)      e11 = G * (x - a)^2      e12 = G * ((x - a)(y - b))
/// mu2 = G * (y - b)      e22 = G * (y - b)^2
/// ```
///
/// Centring leaves the variances and the covariance unchanged (`e11 - mu1^2` and
/// `e12 - mu1 mu2` are shift-invariant) but keeps Float from losing its digits to
/// `E[x^2] - E[x]^2` on images with a large offset, and makes a constant image's variance
/// exactly zero. The true means are `mu1 + a` and `mu2 + b`.
struct MomentRow<Scalar> {
    let mu1: UnsafeMutablePointer<Scalar>
    let mu2: UnsafeMutablePointer<Scalar>
    let e11: UnsafeMutablePointer<Scalar>
    let e22: UnsafeMutablePointer<Scalar>
    let e12: UnsafeMutablePointer<Scalar>
}

/// Scratch memory of one task of the separable filter: the horizontally filtered rows of a band
/// with its halo, one padded input row, and one vertically filtered output row per moment.
struct MomentWorkspace<Scalar: SSIMScalar> {
    let bandRows: Int
    let columns: Int
    let half: Int
    let horizontal: UnsafeMutablePointer<Scalar>
    let padded: UnsafeMutablePointer<Scalar>
    let vertical: UnsafeMutablePointer<Scalar>

    init(geometry g: SSIMGeometry, bandRows: Int) {
        self.bandRows = bandRows
        columns = g.outputWidth
        half = g.half
        horizontal = .allocate(capacity: 5 * (bandRows + 2 * half) * columns)
        padded = .allocate(capacity: 5 * (columns + 2 * half))
        vertical = .allocate(capacity: 5 * columns)
    }

    func deallocate() {
        horizontal.deallocate()
        padded.deallocate()
        vertical.deallocate()
    }
}

/// The mean of a plane, rounded to `Scalar`: the shift that centres its moments.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func planeShift<Scalar: SSIMScalar>(_ x: UnsafePointer<Scalar>, count: Int) -> Scalar {
    var total = 0.0
    for i in 0..<count { total += Double(x[i]) }
    let mean = Scalar(total / Double(count))
    return mean.isFinite ? mean : 0
}

/// Runs the separable Gaussian filter of SSIM over output rows `rows` (coordinates of the `same`
/// map) of one plane and hands each finished row of the five moments to `body`.
///
/// Horizontal pass first, then vertical, each with a reflect border, as Kornia's
/// `filter2d_separable`. Only the columns of `geometry.outputColumns` are computed.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func forEachMomentRow<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar,
    geometry g: SSIMGeometry, window: UnsafePointer<Scalar>, rows: Range<Int>,
    workspace ws: MomentWorkspace<Scalar>,
    _ body: (_ row: Int, _ moments: MomentRow<Scalar>) -> Void
) {
    let n = ws.columns, half = g.half, taps = g.windowSize
    let firstColumn = g.outputColumns.lowerBound
    let paddedCount = n + 2 * half
    let lo = max(0, rows.lowerBound - half), hi = min(g.height, rows.upperBound + half)

    // Horizontal pass: rows lo..<hi into ws.horizontal, moment m of row i at ((i - lo) * 5 + m) * n.
    for i in lo..<hi {
        let xRow = x + i * g.width, yRow = y + i * g.width
        let px = ws.padded, py = px + paddedCount, pxx = py + paddedCount
        let pyy = pxx + paddedCount, pxy = pyy + paddedCount
        for j in 0..<paddedCount {
            let column = SSIMGeometry.reflect(firstColumn - half + j, g.width)
            let a = xRow[column] - shift1, b = yRow[column] - shift2
            px[j] = a; py[j] = b
            pxx[j] = a * a; pyy[j] = b * b; pxy[j] = a * b
        }
        let destination = ws.horizontal + (i - lo) * 5 * n
        for m in 0..<5 {
            let out = destination + m * n, source = ws.padded + m * paddedCount
            let w0 = window[0]
            for c in 0..<n { out[c] = w0 * source[c] }
            for k in 1..<max(taps, 1) {
                let wk = window[k], shifted = source + k
                for c in 0..<n { out[c] += wk * shifted[c] }
            }
        }
    }

    // Vertical pass, one output row at a time.
    let moments = MomentRow(
        mu1: ws.vertical, mu2: ws.vertical + n, e11: ws.vertical + 2 * n,
        e22: ws.vertical + 3 * n, e12: ws.vertical + 4 * n)
    for r in rows {
        for m in 0..<5 {
            let out = ws.vertical + m * n
            for k in 0..<taps {
                let sourceRow = SSIMGeometry.reflect(r - half + k, g.height) - lo
                let source = ws.horizontal + (sourceRow * 5 + m) * n
                let wk = window[k]
                if k == 0 {
                    for c in 0..<n { out[c] = wk * source[c] }
                } else {
                    for c in 0..<n { out[c] += wk * source[c] }
                }
            }
        }
        body(r, moments)
    }
}
