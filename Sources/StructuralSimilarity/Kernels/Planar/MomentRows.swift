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
/// cache), one padded input row per filtered quantity, and four vertically filtered output rows
/// per quantity. Rows are padded to a multiple of 16 elements. The plain SSIM filters five
/// quantities (the moments), the weighted SSIM six (``forEachWeightedMomentRow(x:y:w:shift1:shift2:scale:geometry:window:rows:workspace:_:)``).
struct MomentWorkspace<Scalar: SSIMScalar> {
    /// How many quantities are filtered.
    let quantities: Int
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
    /// The horizontally filtered quantities of a row beyond the top or bottom edge
    /// (``Border/zero`` only).
    let zeroRow: UnsafeMutablePointer<Scalar>

    init(geometry g: SSIMGeometry, quantities q: Int = 5) {
        quantities = q
        columns = g.outputWidth
        vectorColumns = InnerLoops.vectorColumns(columns)
        stride = InnerLoops.padded(columns)
        paddedStride = InnerLoops.padded(stride + 2 * g.half)
        horizontal = InnerLoops.allocateRows(q * (g.windowSize + 3) * stride)
        padded = InnerLoops.allocateRows(q * paddedStride)
        padded.initialize(repeating: 0, count: q * paddedStride)
        vertical = InnerLoops.allocateRows(4 * q * stride)
        vertical.initialize(repeating: 0, count: 4 * q * stride)
        zeroRow = InnerLoops.allocateRows(g.border == .zero ? q * stride : 0)
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
    let stride = ws.stride, p = ws.paddedStride
    let px = ws.padded, py = px + p, pxx = py + p, pyy = pxx + p, pdd = pyy + p
    forEachFilteredRow(
        geometry: g, window: window, rows: rows, workspace: ws,
        prefetch: { i in
            // The rows four ahead (the next group's) come into the cache while this one is filtered.
            InnerLoops.prefetch(x + i * g.width, count: g.width)
            InnerLoops.prefetch(y + i * g.width, count: g.width)
        },
        products: { start, j, count in
            InnerLoops.products(
                x: x + start, y: y + start, shift1: shift1, shift2: shift2, scale: scale, count: count,
                into: (px + j, py + j, pxx + j, pyy + j, pdd + j))
        },
        pad: { j, pixel in
            // A zero border's zero is a raw zero: after centring it is -shift (so the moments
            // stay those of the zero-padded image, only shifted).
            let a = ((pixel.map { x[$0] } ?? 0) - shift1) * scale, b = ((pixel.map { y[$0] } ?? 0) - shift2) * scale
            px[j] = a; py[j] = b; pxx[j] = a * a; pyy[j] = b * b; pdd[j] = (a - b) * (a - b)
        },
        finished: { r, base in
            body(r, MomentRows(mu1: base, mu2: base + stride, e11: base + 2 * stride, e22: base + 3 * stride, edd: base + 4 * stride))
        })
}

/// The separable filter's passes, shared by the plain moments (``forEachMomentRow(x:y:shift1:shift2:scale:geometry:window:rows:workspace:_:)``)
/// and the weighted ones: `ws.quantities` padded rows filled per input row, filtered
/// horizontally into a ring, then vertically into `finished`'s rows (quantity m of a finished
/// row lies m strides after the pointer `finished` receives).
///
/// - `prefetch(i)` asks for input row `i` (four rows ahead of the one being filtered);
/// - `products(start, j, count)` fills padded positions `j ..< j + count` from the plane's
///   elements `start ..< start + count` (a straight run inside the image);
/// - `pad(j, pixel)` fills padded position `j` beyond the left or right edge from the plane's
///   element `pixel`, read through the border, or from a zero-border pixel (`nil`), which is
///   also how the zero row beyond the top and bottom edges is made.
@inline(__always)
func forEachFilteredRow<Scalar: SSIMScalar>(
    geometry g: SSIMGeometry, window: UnsafePointer<Scalar>, rows: Range<Int>, workspace ws: MomentWorkspace<Scalar>,
    prefetch: (_ row: Int) -> Void, products: (_ start: Int, _ j: Int, _ count: Int) -> Void, pad: (_ j: Int, _ pixel: Int?) -> Void,
    finished body: (_ row: Int, _ quantities: UnsafeMutablePointer<Scalar>) -> Void
) {
    let q = ws.quantities
    let n = ws.columns, stride = ws.stride, half = g.half, taps = g.windowSize
    let firstColumn = g.outputColumns.lowerBound
    /// Quantity m of input row i, in ring slot i % (taps + 3).
    func horizontalRow(_ i: Int, _ m: Int) -> UnsafeMutablePointer<Scalar> {
        ws.horizontal + ((i % (taps + 3)) * q + m) * stride
    }
    /// The horizontal pass of the padded rows into `destination(m)`.
    func correlatePadded(_ destination: (Int) -> UnsafeMutablePointer<Scalar>) {
        for m in 0..<q {
            InnerLoops.correlate(
                ws.padded + m * ws.paddedStride, into: destination(m), count: ws.vectorColumns, window: window, half: half)
        }
    }
    /// The horizontal pass of input row i into its ring slot.
    func filterRow(_ i: Int) {
        if i + 4 < g.height { prefetch(i + 4) }
        // Padded position j reads column firstColumn - half + j: inside the image a straight
        // run, beyond its edges (at most `half` positions each side) through the border.
        let offset = firstColumn - half
        let inside = max(0, -offset)..<min(n + 2 * half, g.width - offset)
        products(i * g.width + offset + inside.lowerBound, inside.lowerBound, inside.count)
        func bordered(_ j: Int) { pad(j, g.border.index(offset + j, g.width).map { i * g.width + $0 }) }
        for j in 0..<inside.lowerBound { bordered(j) }
        for j in inside.upperBound..<(n + 2 * half) { bordered(j) }
        correlatePadded { m in horizontalRow(i, m) }
    }
    // A row of zeros beyond the top or bottom edge, filtered once.
    if g.border == .zero {
        for j in 0..<(n + 2 * half) { pad(j, nil) }
        correlatePadded { m in ws.zeroRow + m * stride }
    }
    /// The first quantity of the row that position i of the vertical axis reads (quantity m lies
    /// m strides further).
    func sourceRow(_ i: Int) -> UnsafePointer<Scalar> {
        guard let row = g.border.index(i, g.height) else { return UnsafePointer(ws.zeroRow) }
        return UnsafePointer(horizontalRow(row, 0))
    }

    // Vertical pass, four output rows at a time where there are four (they share their loads),
    // else one.
    let sourceRows = UnsafeMutablePointer<UnsafePointer<Scalar>>.allocate(capacity: taps + 3)
    let firstRows = UnsafeMutablePointer<UnsafePointer<Scalar>>.allocate(capacity: taps + 3)
    let destinations = UnsafeMutablePointer<UnsafeMutablePointer<Scalar>>.allocate(capacity: 4)
    defer { sourceRows.deallocate(); firstRows.deallocate(); destinations.deallocate() }
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
        for j in 0..<(taps + group - 1) { firstRows[j] = sourceRow(r - half + j) }
        for m in 0..<q {
            for j in 0..<(taps + group - 1) { sourceRows[j] = firstRows[j] + m * stride }
            if group == 4 {
                for o in 0..<4 { destinations[o] = ws.vertical + (o * q + m) * stride }
                InnerLoops.filter4(rows: sourceRows, window: window, taps: taps, into: destinations, count: ws.vectorColumns)
            } else {
                InnerLoops.symmetricSum(rows: sourceRows, window: window, half: half, into: ws.vertical + m * stride, count: ws.vectorColumns)
            }
        }
        for o in 0..<group { body(r + o, ws.vertical + o * q * stride) }
        r += group
    }
}
