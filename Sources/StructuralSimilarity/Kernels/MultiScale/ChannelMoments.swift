/// The six planes the MS-SSIM filters see, in units of the data range `L`, each image centred on
/// a constant near its plane's mean (`a = shift1 / L`, `b = shift2 / L`; 0 for none) inside the
/// image and zero outside: channel 0 `u = x~ - a`, 1 `v = y~ - b`, 2 `u^2`, 3 `v^2`,
/// 4 `(u - v)^2`, 5 `|x~ - y~|` (the L1 term), where `x~ = x / L`, `y~ = y / L`. See
/// ``ScaleMoments`` for the moments they give. Fills image rows `band.filledImageRows` of planes
/// `x` and `y` (each `width` wide) into `band` (six channels).
@_specialize(where Input == Float, Scalar == Double)
@_specialize(where Input == Double, Scalar == Double)
func fillMomentSources<Input: SSIMScalar, Scalar: SSIMScalar>(
    _ band: ZeroPaddedBand<Scalar>, x: UnsafePointer<Input>, y: UnsafePointer<Input>,
    shift1: Scalar, shift2: Scalar, scale: Scalar, scratch: UnsafeMutablePointer<Scalar>
) {
    let w = band.width
    for r in band.filledImageRows {
        let p = (0..<6).map { band.pixels($0, row: r) }
        let xRow = x + r * w, yRow = y + r * w, l1 = p[5]
        // The row in the compute type (a copy: the images stay in their own type).
        let xs = scratch, ys = scratch + w
        for c in 0..<w { xs[c] = Scalar(xRow[c]); ys[c] = Scalar(yRow[c]) }
        InnerLoops.products(x: xs, y: ys, shift1: shift1, shift2: shift2, scale: scale, count: w, into: (p[0], p[1], p[2], p[3], p[4]))
        for c in 0..<w { l1[c] = Swift.abs(xs[c] - ys[c]) * scale }
    }
}

/// The true moments of one scale on one row: `mx`, `my`, `D = sx + sy + C2` and
/// `sdd = var(x - y) = sx + sy - 2 sxy` in units of the data range, from the filtered centred
/// sources (channels 0...4 of ``fillMomentSources(_:x:y:shift1:shift2:scale:)``):
///
/// ```
/// 1 - cs = sdd / D,     1 - lc = (mx - my)^2 / (mx^2 + my^2 + C1)
/// ```
///
/// Kornia's `cs = (2 sxy + C2) / (sx + sy + C2)` and `lc`, written as distances from 1 so that
/// near-identical images keep their digits.
struct ScaleMoments<Scalar: SSIMScalar> {
    let mx: UnsafeMutablePointer<Scalar>
    let my: UnsafeMutablePointer<Scalar>
    let d: UnsafeMutablePointer<Scalar>
    let sdd: UnsafeMutablePointer<Scalar>

    /// Computes the four rows from the filtered sources of image row `row`; `border` and the
    /// shifts `a`, `b` (units of L) describe the centring (nil: none).
    @inline(__always)
    func compute(
        mu: UnsafePointer<Scalar>, mv: UnsafePointer<Scalar>, euu: UnsafePointer<Scalar>, evv: UnsafePointer<Scalar>,
        eww: UnsafePointer<Scalar>, count: Int, c2: Scalar,
        border: (inside: [Double], outside: [Double], columnClass: [Int32])?, a: Scalar, b: Scalar
    ) {
        guard let border else {
            for c in 0..<count {
                let dm = mu[c] - mv[c]
                mx[c] = mu[c]; my[c] = mv[c]
                d[c] = (euu[c] - mu[c] * mu[c]) + (evv[c] - mv[c] * mv[c]) + c2
                sdd[c] = eww[c] - dm * dm
            }
            return
        }
        let diff = a - b
        border.inside.withUnsafeBufferPointer { wIn in
            border.outside.withUnsafeBufferPointer { wOut in
                border.columnClass.withUnsafeBufferPointer { classes in
                    for c in 0..<count {
                        let k = Int(classes[c])
                        let w = Scalar(wIn[k]), ow = Scalar(wOut[k])
                        let u = mu[c], v = mv[c], dmc = u - v
                        mx[c] = u + a * w
                        my[c] = v + b * w
                        let sx = (euu[c] - u * u) + a * ow * (a * w + 2 * u)
                        let sy = (evv[c] - v * v) + b * ow * (b * w + 2 * v)
                        d[c] = sx + sy + c2
                        sdd[c] = (eww[c] - dmc * dmc) + diff * ow * (diff * w + 2 * dmc)
                    }
                }
            }
        }
    }
}

/// Scratch rows for the filtered moments of one scale: `channels` planes of `rows` rows of
/// `stride` elements, from a task's ``TaskMemory``.
struct MomentPlanes<Scalar: SSIMScalar> {
    let rows: Int
    let stride: Int
    let base: UnsafeMutablePointer<Scalar>

    init(channels: Int, rows: Int, stride: Int, memory: TaskMemory) {
        self.rows = rows
        self.stride = stride
        base = memory.allocate(channels * rows * stride)
    }

    @inline(__always)
    func row(_ channel: Int, _ r: Int) -> UnsafeMutablePointer<Scalar> { base + (channel * rows + r) * stride }
}

/// The window and optional residual of scale `s`, as pointers for the band filter (valid while
/// `masks` lives; the arrays are never mutated).
struct ScaleMaskPointers<Scalar: SSIMScalar> {
    let windows: [UnsafeMutablePointer<Scalar>]
    let residuals: [(half: Int, taps: UnsafeMutablePointer<Scalar>)?]

    init(_ masks: MultiScaleMasks<Scalar>) {
        windows = masks.windows.map { w in
            let p = UnsafeMutablePointer<Scalar>.allocate(capacity: w.count)
            p.initialize(from: w, count: w.count)
            return p
        }
        residuals = masks.residuals.map { r in
            r.map { r in
                let p = UnsafeMutablePointer<Scalar>.allocate(capacity: r.taps.count)
                p.initialize(from: r.taps, count: r.taps.count)
                return (r.half, p)
            }
        }
    }

    func residual(_ s: Int) -> (half: Int, taps: UnsafePointer<Scalar>)? {
        residuals[s].map { ($0.half, UnsafePointer($0.taps)) }
    }

    func deallocate() {
        for window in windows { window.deallocate() }
        for residual in residuals { residual?.taps.deallocate() }
    }
}

/// One channel's sources in a zero-padded band and the per-scale moments computed from them.
struct ChannelMoments<Scalar: SSIMScalar> {
    let context: MultiScaleContext<Scalar>
    let sources: ZeroPaddedBand<Scalar>
    let filtered: MomentPlanes<Scalar>
    /// Two rows of the images in the compute type.
    let scratch: UnsafeMutablePointer<Scalar>
    /// The centring shifts of the loaded planes, in units of the data range.
    private(set) var a: Scalar = 0
    private(set) var b: Scalar = 0

    /// Room for the sources of image rows `rows` (and `pad` beyond) and the moments of up to
    /// `rows.count` rows, from `memory`.
    init(context: MultiScaleContext<Scalar>, rows: Range<Int>, memory: TaskMemory) {
        self.context = context
        let g = context.geometry
        sources = ZeroPaddedBand(channels: 6, rows: rows, imageRows: 0..<g.height, width: g.width, half: context.masks.half, memory: memory)
        filtered = MomentPlanes(channels: 5, rows: rows.count, stride: sources.stride, memory: memory)
        scratch = memory.allocate(2 * g.width)
    }

    /// Loads one plane of each image (centred when the context centres).
    mutating func load<Input: SSIMScalar>(x: UnsafePointer<Input>, y: UnsafePointer<Input>) {
        let g = context.geometry, scale = context.constants.scale
        var shift1: Scalar = 0, shift2: Scalar = 0
        if context.border != nil {
            shift1 = Scalar(planeShift(x, count: g.planeSize))
            shift2 = Scalar(planeShift(y, count: g.planeSize))
        }
        a = shift1 * scale
        b = shift2 * scale
        fillMomentSources(sources, x: x, y: y, shift1: shift1, shift2: shift2, scale: scale, scratch: scratch)
    }

    /// The true moments of scale `s` at image rows `rows` into `out` (row `i` for image row
    /// `rows.lowerBound + i`), calling `consume(i)` as soon as row `i` is written (so `out` may
    /// give every row the same scratch).
    func scaleMoments(_ s: Int, rows: Range<Int>, into out: (Int) -> ScaleMoments<Scalar>, consume: (Int) -> Void = { _ in }) {
        let p = context.pointers, w = context.geometry.width
        for m in 0..<5 {
            sources.filter(m, window: p.windows[s], residual: p.residual(s), rows: rows, into: filtered.row(m, 0))
        }
        for (i, r) in rows.enumerated() {
            let border = context.border.map { t in
                (inside: t.inside[s][t.rowClass[s][r]], outside: t.outside[s][t.rowClass[s][r]], columnClass: t.columnClass[s])
            }
            out(i).compute(
                mu: filtered.row(0, i), mv: filtered.row(1, i), euu: filtered.row(2, i), evv: filtered.row(3, i),
                eww: filtered.row(4, i), count: w, c2: context.constants.c2, border: border, a: a, b: b)
            consume(i)
        }
    }

    /// `G_M |x~ - y~|` (the L1 term, last scale) at image rows `rows` into `out` (stride `sources.stride`).
    func filteredL1(rows: Range<Int>, into out: UnsafeMutablePointer<Scalar>) {
        let p = context.pointers, last = context.masks.scales - 1
        sources.filter(5, window: p.windows[last], residual: p.residual(last), rows: rows, into: out)
    }
}
