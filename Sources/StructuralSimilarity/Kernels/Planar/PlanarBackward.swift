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
///   per task, bit for bit the forward pass's task sums.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimBackward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget, upstream: [Scalar], wantsY: Bool
) -> (dx: [Scalar], dy: [Scalar], taskSums: [Double]) {
    precondition(upstream.count == 1 || upstream.count == g.outputCount || upstream.count == g.planeCount)
    let perElement = upstream.count == g.outputCount && upstream.count > 1
    let bandsPerPlane = g.bandsPerPlane
    var sums: [Double] = [], dy: [Scalar] = []
    // Every element is written: each band finishes all the columns of its rows.
    let dx: [Scalar] = filledArray(count: x.count) { dxs in
        dy = filledArray(count: wantsY ? y.count : 0) { dys in
            sums = withTaskInputs(x, y, window: k.window, upstream: upstream) { p in
                let shifts = PlaneShifts(p.x, p.y, geometry: g, centres: k.centresPlanes)
                return resultsOfTasks(g.planeCount * bandsPerPlane) { task in
                    let plane = task / bandsPerPlane, band = task % bandsPerPlane
                    let offset = plane * g.planeSize
                    let (shift1, shift2) = shifts(plane: plane)
                    return backwardBand(
                        x: p.x + offset, y: p.y + offset, shift1: shift1, shift2: shift2,
                        geometry: g, constants: k, window: p.window!, target: target,
                        upstream: perElement ? p.upstream! + plane * g.outputPlaneSize : nil,
                        uniformUpstream: p.upstream![perElement || upstream.count == 1 ? 0 : plane],
                        rows: g.band(band),
                        dx: dxs!.base + offset, dy: dys.map { $0.base + offset })
                }
            }
        }
    }
    return (dx, dy, sums)
}

/// The backward pass for input rows `rows` of one plane (see
/// ``ssimBackward(_:_:geometry:constants:target:upstream:wantsY:)``): recomputes the moments of
/// the output rows whose windows reach these rows, forms the partials, and applies the adjoint
/// filter to them. Returns the sum of the SSIM (or loss) of the output rows among `rows`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func backwardBand<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar,
    geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>, window: UnsafePointer<Scalar>,
    target: KernelTarget, upstream: UnsafePointer<Scalar>?, uniformUpstream: Scalar,
    rows: Range<Int>, dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?
) -> Double {
    let half = g.half, n = g.outputWidth, outputTop = g.outputRows.lowerBound
    // The output rows whose windows reach `rows` (reflections included, see the forward pass).
    let sources = max(rows.lowerBound - half, outputTop)..<min(rows.upperBound + half, g.outputRows.upperBound)
    let workspace = MomentWorkspace<Scalar>(geometry: g)
    let stride = workspace.stride, columns = workspace.vectorColumns, taps = g.windowSize, width = g.width
    // Partials of mu1, mu2, and b and r (see above) for the last `taps + 3` source rows: all
    // that the next four input rows still need, so they stay in cache.
    let ring = taps + 3
    let partials: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(4 * ring * stride)
    let values: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(stride)
    let scratch = AdjointScratch<Scalar>(geometry: g, stride: stride)
    // SSIML1Loss (k.mix): the SSIM term's upstream row (scaled by its weight) and the mixed row.
    let mixRows: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(k.mix == nil ? 0 : 2 * stride)
    defer { workspace.deallocate(); partials.deallocate(); values.deallocate(); scratch.deallocate(); mixRows.deallocate() }
    func partial(_ map: Int, _ r: Int) -> UnsafeMutablePointer<Scalar> {
        partials + (map * ring + r % ring) * stride
    }
    let maps = dy == nil ? [0, 2, 3] : [0, 1, 2, 3]  // mu2's partial only feeds dy

    /// V^T, the transposed vertical filter (its border folded back onto the rows it copied).
    let vertical = AxisAdjoint(length: g.height, half: half, border: g.border, sources: sources, window: window)

    /// V^T for input rows first..<first + count into scratch.gathered(o, map): four rows at
    /// once away from the borders (they share their loads), else row by row.
    func gather(_ first: Int, count: Int) {
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
    /// H^T spreads the columns, then the partials become image gradients.
    func finish(_ first: Int, count: Int) {
        gather(first, count: count)
        for o in 0..<count {
            let i = first + o
            for map in maps { scratch.spreadColumns(scratch.gathered(o, map), into: scratch.result(map), geometry: g, window: window) }
            InnerLoops.combine(
                x: x + i * width, y: y + i * width, shift1: shift1, shift2: shift2, scale: k.scale,
                mu1: scratch.result(0), mu2: scratch.result(1), b: scratch.result(2), r: scratch.result(3),
                count: width, dx: dx + i * width, dy: dy.map { $0 + i * width })
            if let mix = k.mix, g.outputRows.contains(i) {
                let pixels = i * width + g.outputColumns.lowerBound
                InnerLoops.l1Gradient(
                    x: x + pixels, y: y + pixels, upstream: upstream.map { $0 + (i - outputTop) * n }, uniformUpstream: uniformUpstream,
                    weight: mix.l1Weight, count: n, dx: dx + pixels, dy: dy.map { $0 + pixels })
            }
        }
    }

    // Input row i can be finished once the source rows up to i + half have their partials.
    var next = rows.lowerBound
    var sum = 0.0
    forEachMomentRow(x: x, y: y, shift1: shift1, shift2: shift2, scale: k.scale, geometry: g, window: window, rows: sources, workspace: workspace) { r, m in
        var rowUpstream = upstream.map { $0 + (r - outputTop) * n }
        if let mix = k.mix, let given = rowUpstream {
            for c in 0..<n { mixRows[c] = mix.ssimWeight * given[c] }
            rowUpstream = UnsafePointer(mixRows)
        }
        var rowSum = InnerLoops.partials(
            m, count: columns, valid: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k, target: target,
            upstream: rowUpstream, uniformUpstream: k.mix.map { $0.ssimWeight * uniformUpstream } ?? uniformUpstream,
            into: (partial(0, r), partial(1, r), partial(2, r), partial(3, r)), values: values)
        if let mix = k.mix {
            // The mixed row's sum, as the forward pass sums it.
            let pixels = r * width + g.outputColumns.lowerBound
            rowSum = InnerLoops.mix(values, x: x + pixels, y: y + pixels, count: n, mix, into: mixRows + stride)
        }
        // Each output row belongs to the band of its own row index, as in the forward pass.
        if rows.contains(r) { sum += rowSum }
        while next + 4 <= rows.upperBound && next + 3 + half <= r {
            finish(next, count: 4)
            next += 4
        }
    }
    while next < rows.upperBound {
        finish(next, count: 1)
        next += 1
    }
    return sum
}

/// Scratch rows of the adjoint filter: the gathered rows (after `V^T`) of four input rows and
/// four maps, the pointers to the rows they gather, a zero-padded copy of one row, the spread
/// row (after `H^T`, before folding the border), and the four results of one input row.
struct AdjointScratch<Scalar: SSIMScalar> {
    let gatheredRows: UnsafeMutablePointer<Scalar>
    let sourceRows: UnsafeMutablePointer<UnsafePointer<Scalar>>
    let destinations: UnsafeMutablePointer<UnsafeMutablePointer<Scalar>>
    let zeroPadded: UnsafeMutablePointer<Scalar>
    let spread: UnsafeMutablePointer<Scalar>
    let results: UnsafeMutablePointer<Scalar>
    let stride: Int, zeroPaddedCount: Int, spreadCount: Int, width: Int

    init(geometry g: SSIMGeometry, stride: Int) {
        self.stride = stride
        width = g.width
        spreadCount = InnerLoops.padded(stride + 2 * g.half)
        zeroPaddedCount = spreadCount + 2 * g.half
        gatheredRows = InnerLoops.allocateRows(16 * stride)
        sourceRows = .allocate(capacity: 3 * g.windowSize + 3)
        destinations = .allocate(capacity: 4)
        zeroPadded = InnerLoops.allocateRows(zeroPaddedCount)
        zeroPadded.initialize(repeating: 0, count: zeroPaddedCount)
        spread = InnerLoops.allocateRows(spreadCount)
        results = .allocate(capacity: 4 * width)
    }

    /// The gathered row of map `map` for the `o`-th input row of a group.
    func gathered(_ o: Int, _ map: Int) -> UnsafeMutablePointer<Scalar> { gatheredRows + (o * 4 + map) * stride }

    func result(_ map: Int) -> UnsafeMutablePointer<Scalar> { results + map * width }

    func deallocate() {
        gatheredRows.deallocate(); sourceRows.deallocate(); destinations.deallocate()
        zeroPadded.deallocate(); spread.deallocate(); results.deallocate()
    }

    /// `H^T` of a gathered row into `destination` (a full image row): column `c` of the output
    /// spreads `window[k] * value` onto image column `reflect(first + c - half + k)`. With the
    /// row zero-padded by `2 half`, that is the same symmetric correlation as the forward pass,
    /// followed by folding the `half` positions beyond each edge back through the border.
    func spreadColumns(
        _ gathered: UnsafeMutablePointer<Scalar>, into destination: UnsafeMutablePointer<Scalar>, geometry g: SSIMGeometry, window: UnsafePointer<Scalar>
    ) {
        let half = g.half, n = g.outputWidth
        (zeroPadded + 2 * half).update(from: gathered, count: n)
        InnerLoops.correlate(zeroPadded, into: spread, count: spreadCount, window: window, half: half)
        // spread[q] lands on image column first - half + q, for q in 0..<n + 2 half: copy the
        // columns inside the image, then fold the ones beyond each edge back through it.
        let first = g.outputColumns.lowerBound
        let inside = max(0, half - first)..<min(n + 2 * half, width + half - first)
        destination.initialize(repeating: 0, count: width)
        (destination + first - half + inside.lowerBound).update(from: spread + inside.lowerBound, count: inside.count)
        // (A zero border's positions read no pixel: their share is dropped.)
        for q in 0..<inside.lowerBound { if let c = g.border.index(first - half + q, width) { destination[c] += spread[q] } }
        for q in inside.upperBound..<(n + 2 * half) { if let c = g.border.index(first - half + q, width) { destination[c] += spread[q] } }
    }
}
