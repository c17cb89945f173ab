/// The gradient of a weighted sum of the SSIM map (or of the loss map) with respect to both
/// images, derived by hand.
///
/// With `A = 2 mu1 mu2 + C1`, `B = 2 sigma12 + C2 = D - var(x - y)`, `C = mu1^2 + mu2^2 + C1`,
/// `D = sigma1 + sigma2 + C2`, `den = C D + eps` and `S = A B / den`, each pixel's upstream
/// `g = dL/dS` gives the partials of the five centred moments (see ``MomentRows``)
///
/// ```
/// dL/dmu1 = 2 g (mu2 B - mu1 S D) / den - 2 (mu1c - mu2c) e - mu2c r      (dL/dmu2 likewise)
/// dL/de11 = dL/de22 = g (A - S C) / den = r / 2,      dL/dedd = -g A / den = -b
/// ```
///
/// with `e = -g S C / den`. Each partial map goes back through the adjoint of the filter `G^T`
/// (`V^T`, then `H^T` with the reflected border folded back onto the pixels it copied), and with
/// `x~ = x - a`, `y~ = y - b` (the centred images):
///
/// ```
/// dL/dx = G^T dmu1 + x~ G^T r - 2 (x~ - y~) G^T b
/// dL/dy = G^T dmu2 + y~ G^T r + 2 (x~ - y~) G^T b
/// ```
///
/// Near identical images `r` and `x~ - y~` are small, so nothing large cancels. The parts are
/// computed in cancellation-free forms (`ssim_partials_f` in CSSIMKernels):
///
/// ```
/// mu2 B - mu1 S D = B (D (mu2 - mu1)(mu2 (mu1 + mu2) + C1) + mu2 eps) / den
/// A - S C         = A (C var(x - y) + eps) / den
/// ```
///
/// For a 1-tap window the variance terms then cancel exactly, as in exact arithmetic.
///
/// The work is split into bands of input rows; each band recomputes the moments of the output
/// rows its windows reach (up to `windowSize / 2` beyond each side), so that its memory stays
/// small and the bands run in parallel.
///
/// - Parameters:
///   - x: the first images whose gradient `dx` is.
///   - y: the second images, whose gradient `dy` is.
///   - g: the sizes and the border.
///   - k: the constants and the window.
///   - target: the SSIM map or the loss map (any reduction is in `upstream`).
///   - upstream: one value per output element, one per plane used for each of its elements,
///     or a single value used for every element.
///   - wantsY: whether to compute the gradient of `y` (an empty array is returned otherwise).
/// - Returns: the gradients, and the sums of the SSIM map (or of the loss map) on the way, one
///   per band, bit for bit the forward pass's band sums.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimBackward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget, upstream: [Scalar], wantsY: Bool
) -> (dx: [Scalar], dy: [Scalar], taskSums: [Double]) {
    precondition(upstream.count == 1 || upstream.count == g.outputCount || upstream.count == g.planeCount)
    let perElement = upstream.count == g.outputCount && upstream.count > 1
    var sums: [Double] = [], dy: [Scalar] = []
    // Every element is written: each task finishes all the columns of its rows.
    let dx: [Scalar] = filledArray(count: x.count) { dxs in
        dy = filledArray(count: wantsY ? y.count : 0) { dys in
            sums = withTaskInputs(x, y, window: k.window, upstream: upstream) { p in
                let shifts = PlaneShifts(p.x, p.y, geometry: g, centres: k.centresPlanes)
                return bandSumsOfTasks(planes: g.planeCount, bandsPerPlane: g.bandsPerPlane) { plane, bands, bandSums in
                    let offset = plane * g.planeSize
                    let (shift1, shift2) = shifts(plane: plane)
                    backwardBand(
                        x: p.x + offset, y: p.y + offset, shift1: shift1, shift2: shift2,
                        geometry: g, constants: k, window: p.window!, target: target,
                        upstream: perElement ? p.upstream! + plane * g.outputPlaneSize : nil,
                        uniformUpstream: p.upstream![perElement || upstream.count == 1 ? 0 : plane],
                        bands: bands, sums: bandSums,
                        dx: dxs!.base + offset, dy: dys.map { $0.base + offset })
                }
            }
        }
    }
    return (dx, dy, sums)
}

/// The backward pass for the input rows of bands `bands` of one plane (see
/// ``ssimBackward(_:_:geometry:constants:target:upstream:wantsY:)``): recomputes the moments of
/// the output rows whose windows reach these rows, forms the partials, and applies the adjoint
/// filter to them. Adds the SSIM (or loss) of each output row among them to `sums[band -
/// bands.lowerBound]`, row after row, as the forward pass adds them.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func backwardBand<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar,
    geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>, window: UnsafePointer<Scalar>,
    target: KernelTarget, upstream: UnsafePointer<Scalar>?, uniformUpstream: Scalar,
    bands: Range<Int>, sums: UnsafeMutablePointer<Double>, dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?
) {
    let rows = g.bands(bands), half = g.half, n = g.outputWidth, outputTop = g.outputRows.lowerBound
    // The output rows whose windows reach `rows` (reflections included, see the forward pass).
    let sources = max(rows.lowerBound - half, outputTop)..<min(rows.upperBound + half, g.outputRows.upperBound)
    let workspace = MomentWorkspace<Scalar>(geometry: g)
    let stride = workspace.stride, width = g.width
    let values: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(stride)
    var adjoint = PlanarAdjoint<Scalar>(
        geometry: g, window: window, rows: rows, sources: sources, stride: stride, columns: workspace.vectorColumns, wantsY: dy != nil)
    defer { workspace.deallocate(); values.deallocate(); adjoint.deallocate() }
    let columns = g.outputColumns
    /// The image gradients of input row i from its filtered partials; with SSIML1Loss's mix
    /// (k.mix), the L1 term's gradient is added on the output columns of the output rows.
    func gradientRow(_ i: Int, _ m: AdjointResults<Scalar>) {
        func combine(_ c: Range<Int>, l1: (upstream: UnsafePointer<Scalar>?, uniform: Scalar, weight: Scalar)?) {
            let o = i * width + c.lowerBound
            InnerLoops.combine(
                x: x + o, y: y + o, shift1: shift1, shift2: shift2, scale: k.scale, mu1: m.mu1 + c.lowerBound, mu2: m.mu2 + c.lowerBound,
                b: m.b + c.lowerBound, r: m.r + c.lowerBound, count: c.count, l1: l1, dx: dx + o, dy: dy.map { $0 + o })
        }
        guard let mix = k.mix, g.outputRows.contains(i) else { return combine(0..<width, l1: nil) }
        if columns.lowerBound > 0 { combine(0..<columns.lowerBound, l1: nil) }
        combine(columns, l1: (upstream.map { $0 + (i - outputTop) * n }, uniformUpstream, mix.l1Weight))
        if columns.upperBound < width { combine(columns.upperBound..<width, l1: nil) }
    }
    forEachMomentRow(x: x, y: y, shift1: shift1, shift2: shift2, scale: k.scale, geometry: g, window: window, rows: sources, workspace: workspace) { r, m in
        let pixels = r * width + columns.lowerBound
        let rowSum = InnerLoops.partials(
            m, count: workspace.vectorColumns, valid: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k, target: target,
            upstream: upstream.map { $0 + (r - outputTop) * n }, uniformUpstream: uniformUpstream,
            pixels: k.mix == nil ? nil : (x + pixels, y + pixels), into: adjoint.partialRows(r), values: values)
        // Each output row belongs to the band of its own row index, as in the forward pass.
        if rows.contains(r) { sums[r / rowsPerBand - bands.lowerBound] += rowSum }
        adjoint.finishRows(through: r, gradientRow)
    }
    adjoint.finishRemainingRows(gradientRow)
}

/// The filtered partials of one input row (``PlanarAdjoint``), which the gradients combine.
struct AdjointResults<Scalar: SSIMScalar> {
    let mu1: UnsafeMutablePointer<Scalar>
    let mu2: UnsafeMutablePointer<Scalar>
    let b: UnsafeMutablePointer<Scalar>
    let r: UnsafeMutablePointer<Scalar>
}

/// The adjoint filter of a band of input rows of one plane, shared by the backward passes of the
/// plain and the weighted SSIM: a ring of the partials of the last `taps + 3` source rows (all
/// that the next four input rows still need, so they stay in cache), `V^T` (its border folded
/// back onto the rows it copied) four rows at once away from the borders, `H^T`, then the
/// caller's gradients of each input row, as soon as the source rows it needs have their partials.
struct PlanarAdjoint<Scalar: SSIMScalar> {
    let geometry: SSIMGeometry
    let window: UnsafePointer<Scalar>
    /// The input rows to finish.
    let rows: Range<Int>
    let stride: Int, columns: Int, ring: Int
    let partials: UnsafeMutablePointer<Scalar>
    let scratch: AdjointScratch<Scalar>
    /// V^T, the transposed vertical filter over the source rows' partials.
    let vertical: AxisAdjoint<Scalar>
    /// The partials that go through the filter: mu2's only feeds dy.
    let maps: [Int]
    /// The first input row not yet finished.
    private(set) var next: Int

    /// `columns` of each row's `stride` are computed (``MomentWorkspace``).
    init(
        geometry g: SSIMGeometry, window: UnsafePointer<Scalar>, rows: Range<Int>, sources: Range<Int>, stride: Int, columns: Int,
        wantsY: Bool
    ) {
        geometry = g
        self.window = window
        self.rows = rows
        self.stride = stride
        self.columns = columns
        ring = g.windowSize + 3
        partials = InnerLoops.allocateRows(4 * ring * stride)
        scratch = AdjointScratch(geometry: g, stride: stride)
        vertical = AxisAdjoint(length: g.height, half: g.half, border: g.border, sources: sources, window: window)
        maps = wantsY ? [0, 1, 2, 3] : [0, 2, 3]
        next = rows.lowerBound
    }

    func deallocate() { partials.deallocate(); scratch.deallocate() }

    /// The partial of map `map` (mu1, mu2, b, r) of source row `r`.
    func partial(_ map: Int, _ r: Int) -> UnsafeMutablePointer<Scalar> { partials + (map * ring + r % ring) * stride }

    /// Where the partials of source row `r` go.
    func partialRows(_ r: Int) -> (UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>) {
        (partial(0, r), partial(1, r), partial(2, r), partial(3, r))
    }

    /// Once source row `r` has its partials: finishes, four at a time, the input rows whose
    /// windows' source rows (up to `i + half`) all have theirs.
    mutating func finishRows(through r: Int, _ gradientRow: (Int, AdjointResults<Scalar>) -> Void) {
        while next + 4 <= rows.upperBound && next + 3 + geometry.half <= r {
            finish(next, count: 4, gradientRow)
            next += 4
        }
    }

    /// After the last source row: finishes the rest, one at a time.
    mutating func finishRemainingRows(_ gradientRow: (Int, AdjointResults<Scalar>) -> Void) {
        while next < rows.upperBound {
            finish(next, count: 1, gradientRow)
            next += 1
        }
    }

    /// V^T for input rows first..<first + count into scratch.gathered(o, map): four rows at
    /// once away from the borders (they share their loads), else row by row.
    private func gather(_ first: Int, count: Int) {
        let taps = geometry.windowSize, half = geometry.half
        if count == 4 && taps >= 3 && vertical.isInterior(first) && vertical.isInterior(first + 3) {
            for map in maps {
                for j in 0..<(taps + 3) { scratch.sourceRows[j] = UnsafePointer(partial(map, first - half + j)) }
                for o in 0..<4 { scratch.destinations[o] = scratch.gathered(o, map) }
                InnerLoops.filter4(rows: scratch.sourceRows, window: window, taps: taps, into: scratch.destinations, count: columns)
            }
            return
        }
        for o in 0..<count {
            let i = first + o, rowTaps = vertical.taps(i)
            for map in maps {
                vertical.apply(
                    at: i, taps: rowTaps, row: { UnsafePointer(partial(map, $0)) }, pointers: scratch.sourceRows,
                    into: scratch.gathered(o, map), count: columns)
            }
        }
    }

    /// The adjoint filter for input rows first..<first + count: V^T gathers the source rows,
    /// H^T spreads the columns, then `gradientRow` turns the filtered partials into gradients.
    private func finish(_ first: Int, count: Int, _ gradientRow: (Int, AdjointResults<Scalar>) -> Void) {
        gather(first, count: count)
        for o in 0..<count {
            for map in maps { scratch.spreadColumns(scratch.gathered(o, map), map: map, geometry: geometry, window: window) }
            gradientRow(first + o, AdjointResults(mu1: scratch.result(0), mu2: scratch.result(1), b: scratch.result(2), r: scratch.result(3)))
        }
    }
}

/// Scratch rows of the adjoint filter: the gathered rows (after `V^T`) of four input rows and
/// four maps, each behind `2 half` zeros and followed by zeros, so that `H^T` reads them in
/// place as zero-padded rows; the pointers to the rows they gather; and the spread rows (after
/// `H^T`, the border folded back in place) of the four maps of one input row, which the
/// gradients read.
struct AdjointScratch<Scalar: SSIMScalar> {
    let gatheredRows: UnsafeMutablePointer<Scalar>
    let sourceRows: UnsafeMutablePointer<UnsafePointer<Scalar>>
    let destinations: UnsafeMutablePointer<UnsafeMutablePointer<Scalar>>
    let spreadRows: UnsafeMutablePointer<Scalar>
    /// A gathered row's leading zeros (at least `2 half`; a multiple of 16, so that its values
    /// start on a cache line), and the distance between two gathered rows.
    let lead: Int, gatheredStride: Int
    /// The columns `V^T` writes (`stride`), and those `H^T` computes (`n + 2 half`, padded).
    let stride: Int, spreadCount: Int
    /// Where image column 0 lies in a spread row: `half - first output column`.
    let columnOffset: Int

    init(geometry g: SSIMGeometry, stride: Int) {
        self.stride = stride
        spreadCount = InnerLoops.padded(stride + 2 * g.half)
        lead = InnerLoops.vectorColumns(2 * g.half)
        gatheredStride = InnerLoops.padded(lead + spreadCount)
        columnOffset = g.half - g.outputColumns.lowerBound
        gatheredRows = InnerLoops.allocateRows(16 * gatheredStride)
        gatheredRows.initialize(repeating: 0, count: 16 * gatheredStride)
        sourceRows = .allocate(capacity: 3 * g.windowSize + 3)
        destinations = .allocate(capacity: 4)
        spreadRows = InnerLoops.allocateRows(4 * spreadCount)
    }

    /// The gathered row of map `map` for the `o`-th input row of a group (`stride` columns).
    func gathered(_ o: Int, _ map: Int) -> UnsafeMutablePointer<Scalar> { gatheredRows + (o * 4 + map) * gatheredStride + lead }

    /// The image row of map `map`'s partial after the adjoint filter (valid after
    /// ``spreadColumns(_:map:geometry:window:)``).
    func result(_ map: Int) -> UnsafeMutablePointer<Scalar> { spreadRows + map * spreadCount + columnOffset }

    func deallocate() {
        gatheredRows.deallocate(); sourceRows.deallocate(); destinations.deallocate(); spreadRows.deallocate()
    }

    /// `H^T` of a gathered row into ``result(_:)`` of `map`: column `c` of the output spreads
    /// `window[k] * value` onto image column `reflect(first + c - half + k)`. With the row
    /// zero-padded by `2 half` (in place: the gathered rows lie between zeros), that is the
    /// same symmetric correlation as the forward pass, followed by folding the `half` positions
    /// beyond each edge back through the border.
    func spreadColumns(_ gathered: UnsafeMutablePointer<Scalar>, map: Int, geometry g: SSIMGeometry, window: UnsafePointer<Scalar>) {
        let half = g.half, n = g.outputWidth, width = g.width
        // Past the output columns the row must be zeros (V^T wrote up to `stride`).
        (gathered + n).update(repeating: 0, count: stride - n)
        let spread = spreadRows + map * spreadCount
        InnerLoops.correlate(gathered - 2 * half, into: spread, count: spreadCount, window: window, half: half)
        // spread[q] lands on image column first - half + q, for q in 0..<n + 2 half (first -
        // half + q = q - columnOffset): the columns inside the image are in place; fold the ones
        // beyond each edge back through the border. (A zero border's positions read no pixel:
        // their share is dropped.)
        let inside = max(0, columnOffset)..<min(n + 2 * half, width + columnOffset)
        assert(inside.count == width, "the spread row covers every image column")
        let destination = spread + columnOffset
        for q in 0..<inside.lowerBound { if let c = g.border.index(q - columnOffset, width) { destination[c] += spread[q] } }
        for q in inside.upperBound..<(n + 2 * half) { if let c = g.border.index(q - columnOffset, width) { destination[c] += spread[q] } }
    }
}
