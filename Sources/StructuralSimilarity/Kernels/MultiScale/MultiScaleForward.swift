/// The MS-SSIM + L1 loss map of ``MSSSIMLoss``, `(B, H, W)`, and its sum in `Double` (summed in a
/// fixed order: the same whatever the number of threads).
///
/// Tasks are (batch element, band of rows). For each channel `c`: the six sources (see
/// ``fillMomentSources(_:x:y:shift1:shift2:scale:)``) zero-padded, the moments of every scale
/// (``ScaleMoments``), then per pixel
///
/// ```
/// 1 - P_c = 1 - lc_M prod_s cs_s        (accumulated as d <- d + (1 - f)(1 - d) per factor f)
/// loss    = comp (alpha mean_c (1 - P_c) + (1 - alpha) mean_c G_M |x~ - y~|)
/// ```
///
/// `wantsMap` false returns an empty map (only the sum).
@_specialize(where Input == Float, Scalar == Double)
@_specialize(where Input == Double, Scalar == Double)
func multiScaleForward<Input: SSIMScalar, Scalar: SSIMScalar>(
    _ x: [Input], _ y: [Input], context: MultiScaleContext<Scalar>, wantsMap: Bool
) -> (map: [Input], sum: Double) {
    let g = context.geometry, bands = g.bandsPerImage
    var sum = 0.0
    let map: [Input] = filledArray(count: wantsMap ? g.outputCount : 0) { out in
        sum = withTaskInputs(x, y, upstream: [Scalar]()) { p in
            let bytes = TaskMemory.bytes { _ = MultiScaleRowLoss(context: context, rows: g.largestBand, memory: $0) }
            return sumOfTasks(g.batch * bands, memoryBytes: bytes) { task, memory in
                let b = task / bands, rows = g.band(task % bands)
                var band = MultiScaleRowLoss(context: context, rows: rows, memory: memory)
                for c in 0..<g.channels {
                    band.addChannel(x: p.x + g.plane1(b, c) * g.planeSize, y: p.y + g.plane2(b, c) * g.planeSize)
                }
                return band.loss(into: out.map { $0.base + b * g.planeSize })
            }
        }
    }
    return (map, sum)
}

/// The per-band accumulators of the MS-SSIM forward: for rows `rows` of one batch element, the
/// sums over channels of `1 - P_c` and of `G_M |x~ - y~|`.
struct MultiScaleRowLoss<Scalar: SSIMScalar> {
    let context: MultiScaleContext<Scalar>
    let rows: Range<Int>
    var channel: ChannelMoments<Scalar>
    /// mx, my, D, sdd of one row of one scale (each row is used as soon as it is computed).
    let moments: MomentPlanes<Scalar>
    /// Channel 0: sum over channels of 1 - P_c; 1: sum of G_M |x~ - y~|; 2: this channel's 1 - P.
    let accumulators: MomentPlanes<Scalar>

    init(context: MultiScaleContext<Scalar>, rows: Range<Int>, memory: TaskMemory) {
        self.context = context
        self.rows = rows
        channel = ChannelMoments(context: context, rows: rows, memory: memory)
        let stride = channel.sources.stride
        moments = MomentPlanes(channels: 4, rows: 1, stride: stride, memory: memory)
        accumulators = MomentPlanes(channels: 3, rows: rows.count, stride: stride, memory: memory)
        accumulators.base.initialize(repeating: 0, count: 3 * rows.count * stride)
    }

    var momentRow: ScaleMoments<Scalar> {
        ScaleMoments(mx: moments.row(0, 0), my: moments.row(1, 0), d: moments.row(2, 0), sdd: moments.row(3, 0))
    }

    /// Adds one channel's `1 - P` and filtered L1 term.
    mutating func addChannel<Input: SSIMScalar>(x: UnsafePointer<Input>, y: UnsafePointer<Input>) {
        let w = context.geometry.width, last = context.masks.scales - 1, c1 = context.constants.c1
        channel.load(x: x, y: y)
        let m = momentRow
        for s in 0...last {
            channel.scaleMoments(
                s, rows: rows, into: { _ in m },
                consume: { i in
                    let dist = accumulators.row(2, i)
                    for c in 0..<w {
                        var previous = s == 0 ? 0 : dist[c]
                        let a = m.sdd[c] / m.d[c]  // 1 - cs
                        previous = previous + a * (1 - previous)
                        if s == last {
                            let dm = m.mx[c] - m.my[c]
                            let l = dm * dm / (m.mx[c] * m.mx[c] + m.my[c] * m.my[c] + c1)  // 1 - lc
                            previous = previous + l * (1 - previous)
                        }
                        dist[c] = previous
                    }
                })
        }
        // The moments' filtered sources are dead now: the filtered L1 term takes their rows.
        let filtered = channel.filtered
        channel.filteredL1(rows: rows, into: filtered.row(0, 0))
        for i in 0..<rows.count {
            let ms = accumulators.row(0, i), l1 = accumulators.row(1, i), d = accumulators.row(2, i), f = filtered.row(0, i)
            for c in 0..<w { ms[c] += d[c]; l1[c] += f[c] }
        }
    }

    /// Writes the loss of the band's rows into `plane` (one batch element's `(H, W)` loss map,
    /// when given) and returns their sum, row after row.
    func loss<Output: SSIMScalar>(into plane: UnsafeMutablePointer<Output>?) -> Double {
        bandLoss(rows: rows, context: context, into: plane) { i in (accumulators.row(0, i), accumulators.row(1, i)) }
    }
}

/// The loss of the rows `rows` of a band from the sums over channels of `1 - P_c` and of the
/// filtered L1 term of each (`sums(i)` for the `i`-th row of the band), written into `plane` (one
/// batch element's `(H, W)` loss map, when given); returns their sum, row after row (see
/// ``multiScaleLossRow(ms:l1:context:into:)``). The forward and the backward sum their bands
/// this way.
@inline(__always)
func bandLoss<Scalar: SSIMScalar, Output: SSIMScalar>(
    rows: Range<Int>, context: MultiScaleContext<Scalar>, into plane: UnsafeMutablePointer<Output>?,
    _ sums: (Int) -> (ms: UnsafeMutablePointer<Scalar>, l1: UnsafeMutablePointer<Scalar>)
) -> Double {
    var total = 0.0
    for (i, r) in rows.enumerated() {
        let (ms, l1) = sums(i)
        total += multiScaleLossRow(ms: ms, l1: l1, context: context, into: plane.map { $0 + r * context.geometry.width })
    }
    return total
}

/// One row of the loss from the sums over channels of `1 - P_c` (`ms`) and of the filtered L1
/// term (`l1`): `comp (alpha ms / C + (1 - alpha) l1 / C)`, written to `destination` when given;
/// returns the row's sum in Double.
@inline(__always)
func multiScaleLossRow<Scalar: SSIMScalar, Output: SSIMScalar>(
    ms: UnsafePointer<Scalar>, l1: UnsafePointer<Scalar>, context: MultiScaleContext<Scalar>,
    into destination: UnsafeMutablePointer<Output>?
) -> Double {
    let channels = Scalar(context.geometry.channels), alpha = context.constants.alpha, comp = context.constants.compensation
    var total = 0.0
    for c in 0..<context.geometry.width {
        let value = comp * (alpha * (ms[c] / channels) + (1 - alpha) * (l1[c] / channels))
        destination?[c] = Output(value)
        total += Double(value)
    }
    return total
}
