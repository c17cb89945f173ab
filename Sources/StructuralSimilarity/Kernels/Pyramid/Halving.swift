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

    /// Calls `body(output, sources)` for every output element of a plane, in order, with the input
    /// offsets it averages (row-major; nil for a zero).
    private func forEachOutput(_ body: (Int, [Int?]) -> Void) {
        let depth = axes.count == 3 ? axes[0] : nil, rows = axes[axes.count - 2], columns = axes[axes.count - 1]
        let sliceSize = rows.length * columns.length
        func pair(_ axis: AxisHalving, _ o: Int) -> [Int?] {
            let (a, b) = axis.sources(o)
            return [a, b]
        }
        let columnSources = (0..<columns.outputLength).map { pair(columns, $0) }
        var output = 0, sources: [Int?] = []
        for d in 0..<(depth?.outputLength ?? 1) {
            let slices = depth.map { pair($0, d) } ?? [0]
            for o in 0..<rows.outputLength {
                let rowOffsets = slices.flatMap { s in pair(rows, o).map { r in s.flatMap { s in r.map { s * sliceSize + $0 * columns.length } } } }
                for p in 0..<columns.outputLength {
                    sources.removeAll(keepingCapacity: true)
                    for r in rowOffsets {
                        for c in columnSources[p] { sources.append(r.flatMap { r in c.map { r + $0 } }) }
                    }
                    body(output, sources)
                    output += 1
                }
            }
        }
    }

    /// The halved planes.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func apply<Scalar: SSIMScalar>(_ input: [Scalar]) -> [Scalar] {
        let inSize = inputSize, outSize = outputSize, divisor = Scalar(1 << axes.count)
        return input.withUnsafeBufferPointer { source in
            let x = SharedPointer(base: UnsafeMutablePointer(mutating: source.baseAddress!))
            return filledArray(count: count * outSize) { out in
                DispatchQueue.concurrentPerform(iterations: count) { plane in
                    let from = x.base + plane * inSize, to = out!.base + plane * outSize
                    forEachOutput { o, sources in
                        var total: Scalar = 0
                        for s in sources { if let s { total += from[s] } }
                        to[o] = total / divisor
                    }
                }
            }
        }
    }

    /// The adjoint of ``apply(_:)``: each output gradient spread back, divided by 4 (8), onto the
    /// input elements it averaged (twice onto a repeated one).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func adjoint<Scalar: SSIMScalar>(_ gradient: [Scalar]) -> [Scalar] {
        let inSize = inputSize, outSize = outputSize, divisor = Scalar(1 << axes.count)
        var result = [Scalar](repeating: 0, count: count * inSize)
        result.withUnsafeMutableBufferPointer { target in
            gradient.withUnsafeBufferPointer { source in
                let to = SharedPointer(base: target.baseAddress!)
                let from = SharedPointer(base: UnsafeMutablePointer(mutating: source.baseAddress!))
                DispatchQueue.concurrentPerform(iterations: count) { plane in
                    let g = from.base + plane * outSize, d = to.base + plane * inSize
                    forEachOutput { o, sources in
                        let share = g[o] / divisor
                        for s in sources { if let s { d[s] += share } }
                    }
                }
            }
        }
        return result
    }
}
