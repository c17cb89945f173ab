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
/// weights of all ones give the unweighted SSIM under every border). The passes of
/// ``forEachMomentRow(x:y:shift1:shift2:scale:geometry:window:rows:workspace:_:)``
/// (``forEachFilteredRow(geometry:window:rows:workspace:prefetch:products:pad:finished:)``), on six
/// quantities instead of five: `w`, `w x~`, `w y~`, `w x~^2`, `w y~^2`, `w (x~ - y~)^2`. The
/// workspace is a ``MomentWorkspace`` of six quantities.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func forEachWeightedMomentRow<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, w: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar, scale: Scalar,
    geometry g: SSIMGeometry, window: UnsafePointer<Scalar>, rows: Range<Int>,
    workspace ws: MomentWorkspace<Scalar>,
    _ body: (_ row: Int, _ weight: UnsafePointer<Scalar>, _ moments: MomentRows<Scalar>) -> Void
) {
    let stride = ws.stride
    func padded(_ m: Int) -> UnsafeMutablePointer<Scalar> { ws.padded + m * ws.paddedStride }
    forEachFilteredRow(
        geometry: g, window: window, rows: rows, workspace: ws,
        prefetch: { i in
            InnerLoops.prefetch(x + i * g.width, count: g.width)
            InnerLoops.prefetch(y + i * g.width, count: g.width)
            InnerLoops.prefetch(w + i * g.width, count: g.width)
        },
        products: { start, j, count in
            InnerLoops.weightedProducts(
                x: x + start, y: y + start, w: w + start, shift1: shift1, shift2: shift2, scale: scale, count: count,
                into: ws.padded + j, stride: ws.paddedStride)
        },
        pad: { j, pixel in
            // Padded position j holds the weighted products of the raw pixels u, v of weight t.
            let u = pixel.map { x[$0] } ?? 0, v = pixel.map { y[$0] } ?? 0, t = pixel.map { w[$0] } ?? 1
            let a = (u - shift1) * scale, b = (v - shift2) * scale, d = a - b
            let keep = t != 0
            padded(0)[j] = t
            padded(1)[j] = keep ? t * a : 0
            padded(2)[j] = keep ? t * b : 0
            padded(3)[j] = keep ? t * (a * a) : 0
            padded(4)[j] = keep ? t * (b * b) : 0
            padded(5)[j] = keep ? t * (d * d) : 0
        },
        finished: { r, base in
            let moments = MomentRows(
                mu1: base + stride, mu2: base + 2 * stride, e11: base + 3 * stride, e22: base + 4 * stride, edd: base + 5 * stride)
            InnerLoops.normaliseMoments(moments, weight: base, count: ws.vectorColumns)
            body(r, UnsafePointer(base), moments)
        })
}
