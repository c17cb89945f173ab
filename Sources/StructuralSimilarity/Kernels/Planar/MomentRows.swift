/// The five Gaussian-filtered moments of one output row, each image centred on its plane's
/// mean (`a` for `x`, `b` for `y`) and divided by the dynamic range `L` (see ``SSIMConstants``):
///
/// ```
/// mu1 = G * x~      e11 = G * x~^2      edd = G * (x~ - y~)^2      x~ = (x - a) / L
/// mu2 = G * y~      e22 = G * y~^2                                 y~ = (y - b) / L
/// ```
///
/// Centring leaves the variances unchanged (`e11 - mu1^2` is shift-invariant) but keeps Float
/// from losing its digits to `E[x^2] - E[x]^2` on images with a large offset, and makes a
/// constant image's variance exactly zero. The true means, in the same units, are `mu1 + a / L` and `mu2 + b / L`. The
/// covariance comes from the variance of the difference, `sigma12 = (sigma1 + sigma2 - var(x - y)) / 2`,
/// with `var(x - y) = edd - (mu1 - mu2)^2` computed from `x - y` itself: near-identical images,
/// the case that training drives toward, keep their digits in the loss.
///
/// Each row holds `geometry.outputWidth` values, padded to a multiple of 16 (``InnerLoops/padded(_:)``).
struct MomentRows<Scalar: SSIMScalar> {
    let mu1: UnsafeMutablePointer<Scalar>
    let mu2: UnsafeMutablePointer<Scalar>
    let e11: UnsafeMutablePointer<Scalar>
    let e22: UnsafeMutablePointer<Scalar>
    let edd: UnsafeMutablePointer<Scalar>
}

/// Scratch memory of one task of the separable filter: a ring of the last `windowSize + 3`
/// horizontally filtered rows (all the vertical pass of four output rows reads, so they stay in
/// cache), one padded input row per moment, and four vertically filtered output rows per
/// moment. Rows are padded to a multiple of 16 elements.
struct MomentWorkspace<Scalar: SSIMScalar> {
    let columns: Int
    /// The columns the loops compute (``InnerLoops/vectorColumns(_:)``). The rest of a
    /// row, up to `stride`, only spaces the rows out (see ``InnerLoops/padded(_:)``); in the
    /// output rows it stays zero.
    let vectorColumns: Int
    let stride: Int
    let paddedStride: Int
    let horizontal: UnsafeMutablePointer<Scalar>
    let padded: UnsafeMutablePointer<Scalar>
    let vertical: UnsafeMutablePointer<Scalar>
    /// The horizontally filtered moments of a row of zeros beyond the top or bottom edge
    /// (``Border/zero`` only).
    let zeroRow: UnsafeMutablePointer<Scalar>

    init(geometry g: SSIMGeometry) {
        columns = g.outputWidth
        vectorColumns = InnerLoops.vectorColumns(columns)
        stride = InnerLoops.padded(columns)
        paddedStride = InnerLoops.padded(stride + 2 * g.half)
        horizontal = InnerLoops.allocateRows(5 * (g.windowSize + 3) * stride)
        padded = InnerLoops.allocateRows(5 * paddedStride)
        padded.initialize(repeating: 0, count: 5 * paddedStride)
        vertical = InnerLoops.allocateRows(4 * 5 * stride)
        vertical.initialize(repeating: 0, count: 4 * 5 * stride)
        zeroRow = InnerLoops.allocateRows(g.border == .zero ? 5 * stride : 0)
    }

    func deallocate() {
        horizontal.deallocate()
        padded.deallocate()
        vertical.deallocate()
        zeroRow.deallocate()
    }
}

/// Runs the separable Gaussian filter of SSIM over output rows `rows` (coordinates of the `same`
/// map) of one plane and hands each finished row of the five moments to `body`, in units of
/// `1 / scale` (see ``SSIMConstants``).
///
/// Horizontal pass first, then vertical, each through `geometry.border` (Kornia's reflect
/// border by default), as Kornia's `filter2d_separable`. Only the columns of `geometry.outputColumns` are computed.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func forEachMomentRow<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar, scale: Scalar,
    geometry g: SSIMGeometry, window: UnsafePointer<Scalar>, rows: Range<Int>,
    workspace ws: MomentWorkspace<Scalar>,
    _ body: (_ row: Int, _ moments: MomentRows<Scalar>) -> Void
) {
    let n = ws.columns, stride = ws.stride, half = g.half, taps = g.windowSize
    let firstColumn = g.outputColumns.lowerBound
    let px = ws.padded, py = px + ws.paddedStride, pxx = py + ws.paddedStride
    let pyy = pxx + ws.paddedStride, pdd = pyy + ws.paddedStride
    /// Moment m of input row i, in ring slot i % (taps + 3).
    func horizontalRow(_ i: Int, _ m: Int) -> UnsafeMutablePointer<Scalar> {
        ws.horizontal + ((i % (taps + 3)) * 5 + m) * stride
    }
    /// The horizontal pass of input row i into its ring slot.
    func filterRow(_ i: Int) {
        let xRow = x + i * g.width, yRow = y + i * g.width
        // The rows four ahead (the next group's) come into the cache while this one is filtered.
        if i + 4 < g.height {
            InnerLoops.prefetch(xRow + 4 * g.width, count: g.width)
            InnerLoops.prefetch(yRow + 4 * g.width, count: g.width)
        }
        // Padded position j reads column firstColumn - half + j: inside the image a straight
        // run, beyond its edges (at most `half` positions each side) through the reflect border.
        let offset = firstColumn - half
        let inside = max(0, -offset)..<min(n + 2 * half, g.width - offset)
        InnerLoops.products(
            x: xRow + offset + inside.lowerBound, y: yRow + offset + inside.lowerBound,
            shift1: shift1, shift2: shift2, scale: scale, count: inside.count,
            into: (
                px + inside.lowerBound, py + inside.lowerBound, pxx + inside.lowerBound,
                pyy + inside.lowerBound, pdd + inside.lowerBound
            ))
        func bordered(_ j: Int) {
            let column = g.border.index(offset + j, g.width)
            setPadded(j, column.map { xRow[$0] } ?? 0, column.map { yRow[$0] } ?? 0)
        }
        for j in 0..<inside.lowerBound { bordered(j) }
        for j in inside.upperBound..<(n + 2 * half) { bordered(j) }
        correlatePadded { m in horizontalRow(i, m) }
    }
    /// Padded position j holds the raw pixels u of x and v of y, centred and scaled. A zero
    /// border's zero is a raw zero: after centring it is -shift (so the moments stay those of
    /// the zero-padded image, only shifted).
    func setPadded(_ j: Int, _ u: Scalar, _ v: Scalar) {
        let a = (u - shift1) * scale, b = (v - shift2) * scale
        px[j] = a; py[j] = b; pxx[j] = a * a; pyy[j] = b * b; pdd[j] = (a - b) * (a - b)
    }
    /// The horizontal pass of the five padded rows into `destination(m)`.
    func correlatePadded(_ destination: (Int) -> UnsafeMutablePointer<Scalar>) {
        for m in 0..<5 {
            InnerLoops.correlate(
                ws.padded + m * ws.paddedStride, into: destination(m), count: ws.vectorColumns,
                window: window, half: half)
        }
    }
    // A row of zeros beyond the top or bottom edge, filtered once.
    if g.border == .zero {
        for j in 0..<(n + 2 * half) { setPadded(j, 0, 0) }
        correlatePadded { m in ws.zeroRow + m * stride }
    }
    /// The first moment of the row that position i of the vertical axis reads (moment m lies
    /// m strides further).
    func sourceRow(_ i: Int) -> UnsafePointer<Scalar> {
        guard let row = g.border.index(i, g.height) else { return UnsafePointer(ws.zeroRow) }
        return UnsafePointer(horizontalRow(row, 0))
    }

    // Vertical pass, four output rows at a time where there are four (they share their loads),
    // else one.
    func moments(_ o: Int) -> MomentRows<Scalar> {
        let base = ws.vertical + o * 5 * stride
        return MomentRows(mu1: base, mu2: base + stride, e11: base + 2 * stride, e22: base + 3 * stride, edd: base + 4 * stride)
    }
    let sourceRows = UnsafeMutablePointer<UnsafePointer<Scalar>>.allocate(capacity: taps + 3)
    let firstMomentRows = UnsafeMutablePointer<UnsafePointer<Scalar>>.allocate(capacity: taps + 3)
    let destinations = UnsafeMutablePointer<UnsafeMutablePointer<Scalar>>.allocate(capacity: 4)
    defer { sourceRows.deallocate(); firstMomentRows.deallocate(); destinations.deallocate() }
    // Input rows are filtered horizontally just before the first output row that reads them;
    // the rows four output rows read (reflections included) all lie within the last taps + 3.
    var nextRow = max(0, rows.lowerBound - half)
    var r = rows.lowerBound
    while r < rows.upperBound {
        let group = rows.upperBound - r >= 4 && taps >= 3 ? 4 : 1
        while nextRow <= min(g.height - 1, r + group - 1 + half) {
            filterRow(nextRow)
            nextRow += 1
        }
        for j in 0..<(taps + group - 1) { firstMomentRows[j] = sourceRow(r - half + j) }
        for m in 0..<5 {
            for j in 0..<(taps + group - 1) { sourceRows[j] = firstMomentRows[j] + m * stride }
            if group == 4 {
                for o in 0..<4 { destinations[o] = ws.vertical + (o * 5 + m) * stride }
                InnerLoops.filter4(rows: sourceRows, window: window, taps: taps, into: destinations, count: ws.vectorColumns)
            } else {
                InnerLoops.symmetricSum(rows: sourceRows, window: window, half: half, into: ws.vertical + m * stride, count: ws.vectorColumns)
            }
        }
        for o in 0..<group { body(r + o, moments(o)) }
        r += group
    }
}
