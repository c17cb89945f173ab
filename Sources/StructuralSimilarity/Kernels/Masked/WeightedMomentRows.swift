/// Scratch memory of one task of the weighted (normalised) filter: as ``MomentWorkspace``, for the
/// six filtered quantities of the weighted SSIM (`G * w` and the five weighted moments).
struct WeightedMomentWorkspace<Scalar: SSIMScalar> {
    /// The quantities filtered: `w`, `w x~`, `w y~`, `w x~^2`, `w y~^2`, `w (x~ - y~)^2`.
    static var quantities: Int { 6 }
    let columns: Int
    /// The columns the loops compute (``InnerLoops/vectorColumns(_:)``).
    let vectorColumns: Int
    let stride: Int
    let paddedStride: Int
    let horizontal: UnsafeMutablePointer<Scalar>
    let padded: UnsafeMutablePointer<Scalar>
    let vertical: UnsafeMutablePointer<Scalar>
    /// The horizontally filtered quantities of a row beyond the top or bottom edge
    /// (``Border/zero`` only: zero pixels of weight 1).
    let zeroRow: UnsafeMutablePointer<Scalar>

    init(geometry g: SSIMGeometry) {
        let q = Self.quantities
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

/// Runs the separable filter of the weighted SSIM over output rows `rows` of one plane and hands
/// each finished row to `body`: the filtered weight `G * w` and the five normalised moments
///
/// ```
/// mu1 = G * (w x~) / G * w     e11 = G * (w x~^2) / G * w     edd = G * (w (x~ - y~)^2) / G * w
/// mu2 = G * (w y~) / G * w     e22 = G * (w y~^2) / G * w
/// ```
///
/// (NaN where `G * w` is 0), in the units and with the centring of ``MomentRows``: the
/// normalised convolution is shift-invariant as the plain one is (`G * (w (x - a)) / G * w =
/// mu - a`), so centring keeps Float's digits here too. Beyond the edges the border reads the
/// pixels and their weights (a ``Border/zero`` border reads zero pixels of weight 1, so that
/// weights of all ones give the unweighted SSIM under every border). The same passes as
/// ``forEachMomentRow(x:y:shift1:shift2:scale:geometry:window:rows:workspace:_:)``, with the same
/// C loops, on six rows instead of five.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func forEachWeightedMomentRow<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, w: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar, scale: Scalar,
    geometry g: SSIMGeometry, window: UnsafePointer<Scalar>, rows: Range<Int>,
    workspace ws: WeightedMomentWorkspace<Scalar>,
    _ body: (_ row: Int, _ weight: UnsafePointer<Scalar>, _ moments: MomentRows<Scalar>) -> Void
) {
    let q = WeightedMomentWorkspace<Scalar>.quantities
    let n = ws.columns, stride = ws.stride, half = g.half, taps = g.windowSize
    let firstColumn = g.outputColumns.lowerBound
    /// Quantity m of input row i, in ring slot i % (taps + 3).
    func horizontalRow(_ i: Int, _ m: Int) -> UnsafeMutablePointer<Scalar> {
        ws.horizontal + ((i % (taps + 3)) * q + m) * stride
    }
    func padded(_ m: Int) -> UnsafeMutablePointer<Scalar> { ws.padded + m * ws.paddedStride }
    /// Padded position j holds the weighted products of the raw pixels u, v of weight t.
    func setPadded(_ j: Int, _ u: Scalar, _ v: Scalar, _ t: Scalar) {
        let a = (u - shift1) * scale, b = (v - shift2) * scale, d = a - b
        let keep = t != 0
        padded(0)[j] = t
        padded(1)[j] = keep ? t * a : 0
        padded(2)[j] = keep ? t * b : 0
        padded(3)[j] = keep ? t * (a * a) : 0
        padded(4)[j] = keep ? t * (b * b) : 0
        padded(5)[j] = keep ? t * (d * d) : 0
    }
    func correlatePadded(_ destination: (Int) -> UnsafeMutablePointer<Scalar>) {
        for m in 0..<q {
            InnerLoops.correlate(padded(m), into: destination(m), count: ws.vectorColumns, window: window, half: half)
        }
    }
    /// The horizontal pass of input row i into its ring slot.
    func filterRow(_ i: Int) {
        let xRow = x + i * g.width, yRow = y + i * g.width, wRow = w + i * g.width
        let offset = firstColumn - half
        let inside = max(0, -offset)..<min(n + 2 * half, g.width - offset)
        let start = offset + inside.lowerBound
        InnerLoops.weightedProducts(
            x: xRow + start, y: yRow + start, w: wRow + start, shift1: shift1, shift2: shift2, scale: scale, count: inside.count,
            into: ws.padded + inside.lowerBound, stride: ws.paddedStride)
        func bordered(_ j: Int) {
            let column = g.border.index(offset + j, g.width)
            setPadded(j, column.map { xRow[$0] } ?? 0, column.map { yRow[$0] } ?? 0, column.map { wRow[$0] } ?? 1)
        }
        for j in 0..<inside.lowerBound { bordered(j) }
        for j in inside.upperBound..<(n + 2 * half) { bordered(j) }
        correlatePadded { m in horizontalRow(i, m) }
    }
    if g.border == .zero {
        for j in 0..<(n + 2 * half) { setPadded(j, 0, 0, 1) }
        correlatePadded { m in ws.zeroRow + m * stride }
    }
    func sourceRow(_ i: Int) -> UnsafePointer<Scalar> {
        guard let row = g.border.index(i, g.height) else { return UnsafePointer(ws.zeroRow) }
        return UnsafePointer(horizontalRow(row, 0))
    }
    func finished(_ o: Int) -> (weight: UnsafePointer<Scalar>, moments: MomentRows<Scalar>) {
        let base = ws.vertical + o * q * stride
        let moments = MomentRows(
            mu1: base + stride, mu2: base + 2 * stride, e11: base + 3 * stride, e22: base + 4 * stride, edd: base + 5 * stride)
        InnerLoops.normaliseMoments(moments, weight: base, count: ws.vectorColumns)
        return (UnsafePointer(base), moments)
    }
    let sourceRows = UnsafeMutablePointer<UnsafePointer<Scalar>>.allocate(capacity: taps + 3)
    let firstRows = UnsafeMutablePointer<UnsafePointer<Scalar>>.allocate(capacity: taps + 3)
    let destinations = UnsafeMutablePointer<UnsafeMutablePointer<Scalar>>.allocate(capacity: 4)
    defer { sourceRows.deallocate(); firstRows.deallocate(); destinations.deallocate() }
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
        for o in 0..<group {
            let (weight, moments) = finished(o)
            body(r + o, weight, moments)
        }
        r += group
    }
}
