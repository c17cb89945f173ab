import Dispatch

/// One axis of a halving between the scales of Wang's MS-SSIM: output `o` averages the input
/// positions ``sources(_:)`` (nil: a zero that counts in the average), as
/// ``MultiScaleDownsampling`` describes.
struct AxisHalving: Sendable {
    let length: Int
    let outputLength: Int
    /// The two input positions output `o` averages.
    let sources: @Sendable (Int) -> (Int?, Int)

    /// The halving of an axis of `length` under `rule`; `padsStart` tells piq's rule whether the
    /// image has an odd spatial axis (then every axis gets its replicated first pixel).
    init(length n: Int, rule: MultiScaleDownsampling, padsStart: Bool) {
        length = n
        switch rule {
        case .padEndSymmetric:
            outputLength = (n + 1) / 2
            sources = { o in (2 * o, min(2 * o + 1, n - 1)) }
        case .padStartZero where n % 2 == 1:
            outputLength = (n + 1) / 2
            sources = { o in (o == 0 ? nil : 2 * o - 1, 2 * o) }
        case .padStartReplicate where padsStart:
            outputLength = (n + 1) / 2
            sources = { o in (max(2 * o - 1, 0), 2 * o) }
        case .padStartZero, .padStartReplicate, .dropLast:
            outputLength = n / 2
            sources = { o in (2 * o, 2 * o + 1) }
        }
    }
}

/// The halving of a batch of planes `(N, H, W)` or volumes `(N, D, H, W)` between two scales:
/// each output element is the mean of the 2 x 2 (2 x 2 x 2) input elements its axes' sources
/// name, added row-major as torch's `avg_pool` adds them and divided by 4 (8).
///
/// ```
/// out[o, p] = (in[r0, c0] + in[r0, c1] + in[r1, c0] + in[r1, c1]) / 4     (r, c: the sources of o, p)
/// ```
///
/// The work is split into tasks of one output slice (volumes) or up to 64 output rows (planes);
/// no two tasks read the same input rows, so the adjoint's tasks write disjoint rows.
struct Halving: Sendable {
    /// D (volumes only), H and W.
    let axes: [AxisHalving]
    /// The number of planes (volumes): batch times channels.
    let count: Int

    init(spatial: [Int], count: Int, rule: MultiScaleDownsampling) {
        let odd = spatial.contains { $0 % 2 == 1 }
        axes = spatial.map { AxisHalving(length: $0, rule: rule, padsStart: odd) }
        self.count = count
    }

    var inputSize: Int { axes.reduce(1) { $0 * $1.length } }
    var outputSize: Int { axes.reduce(1) { $0 * $1.outputLength } }
    var outputSpatial: [Int] { axes.map(\.outputLength) }

    private var depth: AxisHalving? { axes.count == 3 ? axes[0] : nil }
    private var rows: AxisHalving { axes[axes.count - 2] }
    private var columns: AxisHalving { axes[axes.count - 1] }
    private static let rowsPerTask = 64
    private var rowBlocks: Int { depth == nil ? (rows.outputLength + Self.rowsPerTask - 1) / Self.rowsPerTask : 1 }
    private var tasksPerPlane: Int { (depth?.outputLength ?? 1) * rowBlocks }

    /// The input offsets (within a plane) of the rows output slice `d`, row `o` averages: -1 for
    /// a zero row; two slices of two rows for volumes, two rows for planes.
    private func sourceRows(slice d: Int, row o: Int) -> [Int] {
        let width = columns.length, sliceSize = rows.length * width
        let (r0, r1) = rows.sources(o)
        let slices: [Int?] =
            depth.map { axis in
                let (a, b) = axis.sources(d)
                return [a, b]
            } ?? [0]
        return slices.flatMap { s in [r0, r1].map { r in s.flatMap { s in r.map { s * sliceSize + $0 * width } } ?? -1 } }
    }

    /// The output slices and rows of task `t` of a plane.
    private func task(_ t: Int) -> (slice: Int, rows: Range<Int>) {
        let block = t % rowBlocks, first = depth == nil ? block * Self.rowsPerTask : 0
        return (t / rowBlocks, first..<(depth == nil ? min(first + Self.rowsPerTask, rows.outputLength) : rows.outputLength))
    }

    /// The column sources of the outputs (`first` -1 for a zero) and the outputs `interior`
    /// whose sources are the pair `2p + shift, 2p + shift + 1`: there the loops run straight.
    private func columnPlan() -> (first: [Int], second: [Int], shift: Int, interior: Range<Int>) {
        let n = columns.outputLength
        let first = (0..<n).map { columns.sources($0).0 ?? -1 }, second = (0..<n).map { columns.sources($0).1 }
        let shift = n > 1 ? first[1] - 2 : 0
        func straight(_ p: Int) -> Bool { first[p] >= 0 && first[p] == 2 * p + shift && second[p] == 2 * p + shift + 1 }
        var lower = 0, upper = n
        while lower < n && !straight(lower) { lower += 1 }
        while upper > lower && !straight(upper - 1) { upper -= 1 }
        return (first, second, shift, lower..<upper)
    }

    /// The halved planes.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func apply<Scalar: SSIMScalar>(_ input: [Scalar]) -> [Scalar] {
        let inSize = inputSize, outSize = outputSize, factor = 1 / Scalar(1 << axes.count), tasks = tasksPerPlane
        let outWidth = columns.outputLength, outSlice = rows.outputLength * outWidth
        let (c0, c1, shift, interior) = columnPlan()
        return input.withUnsafeBufferPointer { source in
            let x = SharedPointer(base: UnsafeMutablePointer(mutating: source.baseAddress!))
            return filledArray(count: count * outSize) { out in
                DispatchQueue.concurrentPerform(iterations: count * tasks) { t in
                    let plane = t / tasks, (d, outputRows) = task(t % tasks)
                    let from = x.base + plane * inSize, to = out!.base + plane * outSize + d * outSlice
                    for o in outputRows {
                        let row = to + o * outWidth
                        row.initialize(repeating: 0, count: outWidth)
                        // Row after row (torch's order), each pair of columns in turn.
                        for r in sourceRows(slice: d, row: o) where r >= 0 {
                            let a = from + r
                            for p in 0..<interior.lowerBound { row[p] = (row[p] + (c0[p] >= 0 ? a[c0[p]] : 0)) + a[c1[p]] }
                            InnerLoops.pairSumsAdd(a + shift + 2 * interior.lowerBound, count: interior.count, into: row + interior.lowerBound)
                            for p in interior.upperBound..<outWidth { row[p] = (row[p] + (c0[p] >= 0 ? a[c0[p]] : 0)) + a[c1[p]] }
                        }
                        for p in 0..<outWidth { row[p] *= factor }
                    }
                }
            }
        }
    }

    /// The adjoint of ``apply(_:)`` added onto `result`: each output gradient spread back, divided
    /// by 4 (8), onto the input elements it averaged (twice onto a repeated one).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func adjoint<Scalar: SSIMScalar>(_ gradient: [Scalar], addingTo result: inout [Scalar]) {
        let inSize = inputSize, outSize = outputSize, factor = 1 / Scalar(1 << axes.count), tasks = tasksPerPlane
        let outWidth = columns.outputLength, outSlice = rows.outputLength * outWidth
        let (c0, c1, shift, interior) = columnPlan()
        result.withUnsafeMutableBufferPointer { target in
            gradient.withUnsafeBufferPointer { source in
                let to = SharedPointer(base: target.baseAddress!)
                let from = SharedPointer(base: UnsafeMutablePointer(mutating: source.baseAddress!))
                DispatchQueue.concurrentPerform(iterations: count * tasks) { t in
                    let plane = t / tasks, (d, outputRows) = task(t % tasks)
                    let g = from.base + plane * outSize + d * outSlice, dx = to.base + plane * inSize
                    for o in outputRows {
                        let row = g + o * outWidth
                        for r in sourceRows(slice: d, row: o) where r >= 0 {
                            let a = dx + r
                            for p in 0..<interior.lowerBound {
                                if c0[p] >= 0 { a[c0[p]] += row[p] * factor }
                                a[c1[p]] += row[p] * factor
                            }
                            InnerLoops.pairSpreadAdd(
                                row + interior.lowerBound, count: interior.count, factor: factor,
                                into: a + shift + 2 * interior.lowerBound)
                            for p in interior.upperBound..<outWidth {
                                if c0[p] >= 0 { a[c0[p]] += row[p] * factor }
                                a[c1[p]] += row[p] * factor
                            }
                        }
                    }
                }
            }
        }
    }
}
