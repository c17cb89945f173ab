/// The gradients of `sum(u * loss)` for the MS-SSIM + L1 loss map of ``MSSSIMLoss`` with respect
/// to both images (`u`: one value for every element, or one per element of the `(B, H, W)` map),
/// with the loss map itself (when `wantsMap`) and its sum, computed exactly as
/// ``multiScaleForward(_:_:context:wantsMap:)`` computes them.
///
/// With `w = u comp / C` and, per channel and scale, the moments of ``ScaleMoments``:
///
/// ```
/// dL/dP = -alpha w,   dL/dcs_s = -alpha w lc prod_{t != s} cs_t,   dL/dlc = -alpha w prod_s cs_s
/// dcs/dedd = -1/D,  dcs/dexx = dcs/deyy = sdd/D^2,
/// dcs/dmx = -2 dm dcs/dedd - 2 mx dcs/dexx,  dcs/dmy = 2 dm dcs/dedd - 2 my dcs/dexx
/// dlc/dmx = -2 dm/Cl + 2 mx dm^2/Cl^2,  dlc/dmy = 2 dm/Cl + 2 my dm^2/Cl^2   (Cl = mx^2 + my^2 + C1)
/// dx~ = G(a_mx) + 2 x~ G(a_e) + 2 (x~ - y~) G(a_edd) + sign(x~ - y~) G_M((1 - alpha) w)
/// dy~ = G(a_my) + 2 y~ G(a_e) - 2 (x~ - y~) G(a_edd) - sign(x~ - y~) G_M((1 - alpha) w)
/// ```
///
/// summed over scales (the zero-padded filter with a symmetric mask is its own adjoint), times
/// `1 / L` for raw units. An image of batch 1 compared with a larger batch gets the sum over the
/// batch, added in batch order. Each band of output rows recomputes the moments of the rows
/// within `pad` of it, so bands are independent.
@_specialize(where Input == Float, Scalar == Double)
@_specialize(where Input == Double, Scalar == Double)
func multiScaleBackward<Input: SSIMScalar, Scalar: SSIMScalar>(
    _ x: [Input], _ y: [Input], context: MultiScaleContext<Scalar>, upstream: [Scalar], wantsY: Bool, wantsMap: Bool
) -> (dx: [Input], dy: [Input], map: [Input], sum: Double) {
    let g = context.geometry, bands = g.bandsPerImage
    let planes = g.batch * g.channels * g.planeSize
    var sum = 0.0, dyFull: [Input] = [], map: [Input] = []
    // Gradients per (b, c) of the loss; reduced over b afterwards for a broadcast image.
    let dxFull: [Input] = filledArray(count: planes) { dxs in
        dyFull = filledArray(count: wantsY ? planes : 0) { dys in
            map = filledArray(count: wantsMap ? g.outputCount : 0) { out in
                sum = withTaskInputs(x, y, upstream: upstream) { p in
                    let bytes = TaskMemory.bytes { _ = MultiScaleBandBackward(context: context, rows: g.largestBand, memory: $0) }
                    return sumOfTasks(g.batch * bands, memoryBytes: bytes) { task, memory in
                        let b = task / bands, rows = g.band(task % bands)
                        var band = MultiScaleBandBackward(context: context, rows: rows, memory: memory)
                        let weights = { (r: Int) -> UnsafePointer<Scalar>? in
                            upstream.count == 1 ? nil : p.upstream! + b * g.planeSize + r * g.width
                        }
                        for c in 0..<g.channels {
                            let offset = (b * g.channels + c) * g.planeSize
                            band.addChannel(
                                x: p.x + g.plane1(b, c) * g.planeSize, y: p.y + g.plane2(b, c) * g.planeSize,
                                upstream: weights, uniform: p.upstream![0], dx: dxs!.base + offset, dy: dys.map { $0.base + offset })
                        }
                        return band.loss(into: out.map { $0.base + b * g.planeSize })
                    }
                }
            }
        }
    }
    let dx = g.batch1 == g.batch ? dxFull : summedOverBatch(dxFull, geometry: g)
    let dy = !wantsY || g.batch2 == g.batch ? dyFull : summedOverBatch(dyFull, geometry: g)
    return (dx, dy, map, sum)
}

/// `sum_b full[b, c, h, w]` in batch order: the gradient of an image of batch 1 that was
/// compared with every image of the batch.
func summedOverBatch<Scalar: SSIMScalar>(_ full: [Scalar], geometry g: MultiScaleGeometry) -> [Scalar] {
    let plane = g.channels * g.planeSize
    var sum = Array(full[0..<plane])
    for b in 1..<g.batch {
        for i in 0..<plane { sum[i] += full[b * plane + i] }
    }
    return sum
}

/// The backward of one band of output rows of one batch element (see
/// ``multiScaleBackward(_:_:context:upstream:wantsY:wantsMap:)``).
struct MultiScaleBandBackward<Scalar: SSIMScalar> {
    let context: MultiScaleContext<Scalar>
    let rows: Range<Int>
    /// The image rows within `pad` of the band: their partials reach the band's gradient.
    let extended: Range<Int>
    var channel: ChannelMoments<Scalar>
    /// The partials a_mx, a_my, a_e, a_edd of one scale and the L1 weight, over `extended`.
    let partials: ZeroPaddedBand<Scalar>
    /// Per scale s: planes 5s...5s+4 hold mx, my, D, sdd and cs over `extended`.
    let stored: MomentPlanes<Scalar>
    let gradients: MomentPlanes<Scalar>
    /// For the band's rows: the sums over channels of `1 - P_c` and of the filtered L1 term
    /// (the loss values, as the forward computes them up to rounding).
    let values: MomentPlanes<Scalar>

    init(context: MultiScaleContext<Scalar>, rows: Range<Int>, memory: TaskMemory) {
        self.context = context
        self.rows = rows
        let g = context.geometry, half = context.masks.half
        extended = max(0, rows.lowerBound - half)..<min(g.height, rows.upperBound + half)
        channel = ChannelMoments(context: context, rows: extended, memory: memory)
        partials = ZeroPaddedBand(channels: 5, rows: rows, imageRows: extended, width: g.width, half: half, memory: memory)
        let stride = partials.stride
        stored = MomentPlanes(channels: 5 * context.masks.scales, rows: extended.count, stride: stride, memory: memory)
        gradients = MomentPlanes(channels: 2, rows: rows.count, stride: stride, memory: memory)
        values = MomentPlanes(channels: 2, rows: rows.count, stride: stride, memory: memory)
        values.base.initialize(repeating: 0, count: 2 * rows.count * stride)
    }

    /// Writes the loss of the band's rows into `plane` (one batch element's `(H, W)` loss map,
    /// when given) and returns their sum, row after row.
    func loss<Output: SSIMScalar>(into plane: UnsafeMutablePointer<Output>?) -> Double {
        bandLoss(rows: rows, context: context, into: plane) { i in (values.row(0, i), values.row(1, i)) }
    }

    /// Adds channel `c`'s loss to the band's values and writes its gradients (rows `rows` of the
    /// planes `dx`, `dy`, in raw units).
    mutating func addChannel<Input: SSIMScalar>(
        x: UnsafePointer<Input>, y: UnsafePointer<Input>, upstream: (Int) -> UnsafePointer<Scalar>?, uniform: Scalar,
        dx: UnsafeMutablePointer<Input>, dy: UnsafeMutablePointer<Input>?
    ) {
        let g = context.geometry, w = g.width, scales = context.masks.scales, last = scales - 1
        let c1 = context.constants.c1, alpha = context.constants.alpha, stride = partials.stride
        let weight = context.constants.compensation / Scalar(g.channels)
        channel.load(x: x, y: y)
        let stored = self.stored
        for s in 0..<scales {
            channel.scaleMoments(s, rows: extended) { i in
                ScaleMoments(mx: stored.row(5 * s, i), my: stored.row(5 * s + 1, i), d: stored.row(5 * s + 2, i), sdd: stored.row(5 * s + 3, i))
            }
            for i in 0..<extended.count {
                let d = stored.row(5 * s + 2, i), sdd = stored.row(5 * s + 3, i), cs = stored.row(5 * s + 4, i)
                for c in 0..<w { cs[c] = 1 - sdd[c] / d[c] }
            }
        }
        // The loss of the band's rows: 1 - lc_M prod_s cs_s accumulated as the forward does, and
        // the filtered L1 term.
        let offset = rows.lowerBound - extended.lowerBound
        for i in 0..<rows.count {
            let ms = values.row(0, i), e = offset + i
            let mxLast = stored.row(5 * last, e), myLast = stored.row(5 * last + 1, e)
            for c in 0..<w {
                var previous: Scalar = 0
                for s in 0..<scales {
                    let a = stored.row(5 * s + 3, e)[c] / stored.row(5 * s + 2, e)[c]
                    previous = previous + a * (1 - previous)
                }
                let dm = mxLast[c] - myLast[c]
                let l = dm * dm / (mxLast[c] * mxLast[c] + myLast[c] * myLast[c] + c1)
                ms[c] += previous + l * (1 - previous)
            }
        }
        // The moments' filtered sources are dead from here on: the filtered L1 term, then the
        // filtered partials, take their rows.
        let filtered = channel.filtered
        channel.filteredL1(rows: rows, into: filtered.row(0, 0))
        for i in 0..<rows.count {
            let l1 = values.row(1, i), f = filtered.row(0, i)
            for c in 0..<w { l1[c] += f[c] }
        }
        // The L1 weight over the extended rows.
        for r in extended {
            let u = upstream(r), a = partials.pixels(4, row: r)
            for c in 0..<w { a[c] = (1 - alpha) * weight * (u?[c] ?? uniform) }
        }
        let gx = gradients.row(0, 0), gy = gradients.row(1, 0)
        gx.initialize(repeating: 0, count: 2 * rows.count * stride)
        let a = channel.a, b = channel.b, shiftDifference = a - b
        for s in 0..<scales {
            // The partials of scale s.
            for (i, r) in extended.enumerated() {
                let u = upstream(r)
                let aMx = partials.pixels(0, row: r), aMy = partials.pixels(1, row: r)
                let aE = partials.pixels(2, row: r), aEdd = partials.pixels(3, row: r)
                let mx = stored.row(5 * s, i), my = stored.row(5 * s + 1, i)
                let d = stored.row(5 * s + 2, i), sdd = stored.row(5 * s + 3, i)
                let mxLast = stored.row(5 * last, i), myLast = stored.row(5 * last + 1, i)
                for c in 0..<w {
                    let gP = -alpha * weight * (u?[c] ?? uniform)
                    var others: Scalar = 1
                    for t in 0..<scales where t != s { others *= stored.row(5 * t + 4, i)[c] }
                    let dmL = mxLast[c] - myLast[c]
                    let cl = mxLast[c] * mxLast[c] + myLast[c] * myLast[c] + c1
                    let lc = 1 - dmL * dmL / cl
                    let gcs = gP * lc * others
                    let dm = mx[c] - my[c]
                    let e = gcs * sdd[c] / (d[c] * d[c]), edd = -gcs / d[c]
                    var gmx = -2 * dm * edd - 2 * mx[c] * e
                    var gmy = 2 * dm * edd - 2 * my[c] * e
                    if s == last {
                        let glc = gP * others * stored.row(5 * s + 4, i)[c]
                        let q = dm * dm / (cl * cl)
                        gmx += glc * (-2 * dm / cl + 2 * mx[c] * q)
                        gmy += glc * (2 * dm / cl + 2 * my[c] * q)
                    }
                    aMx[c] = gmx; aMy[c] = gmy; aE[c] = e; aEdd[c] = edd
                }
            }
            let p = context.pointers
            for m in 0..<4 {
                partials.filter(m, window: p.windows[s], residual: p.residual(s), rows: rows, into: filtered.row(m, 0))
            }
            for i in 0..<rows.count {
                let r = rows.lowerBound + i
                // The centred pixels: x~ = u + a, x~ - y~ = (u - v) + (a - b).
                let pu = channel.sources.pixels(0, row: r), pv = channel.sources.pixels(1, row: r)
                let fMx = filtered.row(0, i), fMy = filtered.row(1, i), fE = filtered.row(2, i), fEdd = filtered.row(3, i)
                let ox = gx + i * stride, oy = gy + i * stride
                for c in 0..<w {
                    let diff = (pu[c] - pv[c]) + shiftDifference
                    ox[c] += fMx[c] + 2 * (pu[c] + a) * fE[c] + 2 * diff * fEdd[c]
                    oy[c] += fMy[c] + 2 * (pv[c] + b) * fE[c] - 2 * diff * fEdd[c]
                }
            }
        }
        let p = context.pointers
        partials.filter(4, window: p.windows[last], residual: p.residual(last), rows: rows, into: filtered.row(4, 0))
        let scale = context.constants.scale
        for i in 0..<rows.count {
            let r = rows.lowerBound + i
            let xRow = x + r * w, yRow = y + r * w, f = filtered.row(4, i)
            let ox = gx + i * stride, oy = gy + i * stride
            let outX = dx + r * w, outY = dy.map { $0 + r * w }
            for c in 0..<w {
                // torch's sign: 0 where the pixels are equal.
                let sign: Scalar = xRow[c] > yRow[c] ? 1 : (xRow[c] < yRow[c] ? -1 : 0)
                outX[c] = Input((ox[c] + sign * f[c]) * scale)
                outY?[c] = Input((oy[c] - sign * f[c]) * scale)
            }
        }
    }
}
