/// The gradient of a weighted sum of the weighted SSIM map (or of its loss map) with respect to
/// both images (not the weights), derived by hand.
///
/// The moments are normalised convolutions, `mu1 = G * (w x~) / W`, `e11 = G * (w x~^2) / W`,
/// `edd = G * (w (x~ - y~)^2) / W` and likewise `mu2`, `e22`, with `W = G * w`; so
/// `d mu1(o) / d x(i) = g(o - i) w(i) / W(o)`, `d e11(o) / d x(i) = 2 g(o - i) w(i) x~(i) / W(o)`,
/// and with the partials `dmu1`, `b`, `r` of the unweighted SSIM at each output (see
/// ``ssimBackward(_:_:geometry:constants:target:upstream:wantsY:)``):
///
/// ```
/// dL/dx = w (G^T (dmu1 / W) + x~ G^T (r / W) - 2 (x~ - y~) G^T (b / W))
/// dL/dy = w (G^T (dmu2 / W) + y~ G^T (r / W) + 2 (x~ - y~) G^T (b / W))
/// ```
///
/// The partials are those of the existing kernel (`ssim_partials`) on the normalised moments,
/// divided by `W` (times the reduction's weight `w(o)` for a weighted mean or sum) and zero where
/// `W` is 0; `G^T` is the existing adjoint (``AxisAdjoint``, ``AdjointScratch``); the last
/// factor `w` is 0 wherever the weight is, so a pixel of weight 0 (NaN or not) gets gradient 0.
///
/// `upstream` holds one value per output element (the map, or the loss map of `.none`), or one
/// value for every element, then multiplied by each element's weight where `weighted` (a weighted
/// mean or sum).
///
/// - Returns: the gradients, and the weighted sums of the statistic, one per band, bit for bit
///   those of ``maskedForward(_:_:weights:geometry:constants:target:writesMap:)``.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func maskedBackward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], weights: WeightPlanes<Scalar>, geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget, upstream: [Scalar], weighted: Bool, wantsY: Bool
) -> (dx: [Scalar], dy: [Scalar], taskSums: [Double]) {
    precondition(upstream.count == 1 || upstream.count == g.outputCount)
    let perElement = upstream.count == g.outputCount && upstream.count > 1
    var sums: [Double] = [], dy: [Scalar] = []
    let dx: [Scalar] = filledArray(count: x.count) { dxs in
        dy = filledArray(count: wantsY ? y.count : 0) { dys in
            sums = withTaskInputs(x, y, window: k.window, upstream: upstream) { p in
                weights.scalars.withUnsafeBufferPointer { wb in
                    let ws = SharedPointer(base: UnsafeMutablePointer(mutating: wb.baseAddress!))
                    let shifts = maskedPlaneShifts(p.x, p.y, weights: weights, geometry: g, centres: k.centresPlanes)
                    return bandSumsOfTasks(planes: g.planeCount, bandsPerPlane: g.bandsPerPlane) { plane, bands, bandSums in
                        let offset = plane * g.planeSize
                        let (shift1, shift2) = (shifts[2 * plane], shifts[2 * plane + 1])
                        maskedBackwardBand(
                            x: p.x + offset, y: p.y + offset, w: ws.base + weights.index(ofPlane: plane) * g.planeSize,
                            shift1: shift1, shift2: shift2, geometry: g, constants: k, window: p.window!, target: target,
                            upstream: perElement ? p.upstream! + plane * g.outputPlaneSize : nil, uniformUpstream: p.upstream![0],
                            weighted: weighted, bands: bands, sums: bandSums, dx: dxs!.base + offset, dy: dys.map { $0.base + offset })
                    }
                }
            }
        }
    }
    return (dx, dy, sums)
}

/// The backward pass for the input rows of bands `bands` of one plane (see
/// ``maskedBackward(_:_:weights:geometry:constants:target:upstream:weighted:wantsY:)``): the
/// structure of ``backwardBand(x:y:shift1:shift2:geometry:constants:window:target:upstream:uniformUpstream:bands:sums:dx:dy:)``
/// (its adjoint filter, ``PlanarAdjoint``) on the weighted moments. Adds the weighted statistic
/// of each output row among them to `sums[band - bands.lowerBound]`, row after row, as the
/// forward pass adds them.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func maskedBackwardBand<Scalar: SSIMScalar>(
    x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, w: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar,
    geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>, window: UnsafePointer<Scalar>,
    target: KernelTarget, upstream: UnsafePointer<Scalar>?, uniformUpstream: Scalar, weighted: Bool,
    bands: Range<Int>, sums: UnsafeMutablePointer<Double>, dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?
) {
    let rows = g.bands(bands), half = g.half, n = g.outputWidth, outputTop = g.outputRows.lowerBound, first = g.outputColumns.lowerBound
    let sources = max(rows.lowerBound - half, outputTop)..<min(rows.upperBound + half, g.outputRows.upperBound)
    let workspace = MomentWorkspace<Scalar>(geometry: g, quantities: 6)
    let values: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(workspace.stride)
    var adjoint = PlanarAdjoint<Scalar>(
        geometry: g, window: window, rows: rows, sources: sources, stride: workspace.stride, columns: workspace.vectorColumns,
        wantsY: dy != nil)
    defer { workspace.deallocate(); values.deallocate(); adjoint.deallocate() }
    let width = g.width
    /// The image gradients of input row i, times the pixels' weights.
    func gradientRow(_ i: Int, _ m: AdjointResults<Scalar>) {
        InnerLoops.combine(
            x: x + i * width, y: y + i * width, shift1: shift1, shift2: shift2, scale: k.scale,
            mu1: m.mu1, mu2: m.mu2, b: m.b, r: m.r, count: width, dx: dx + i * width, dy: dy.map { $0 + i * width })
        InnerLoops.applyWeights(w + i * width, count: width, dx: dx + i * width, dy: dy.map { $0 + i * width })
    }
    forEachWeightedMomentRow(
        x: x, y: y, w: w, shift1: shift1, shift2: shift2, scale: k.scale, geometry: g, window: window, rows: sources, workspace: workspace
    ) { r, weight, m in
        let p = adjoint.partialRows(r)
        _ = InnerLoops.partials(
            m, count: workspace.vectorColumns, valid: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k, target: target,
            upstream: upstream.map { $0 + (r - outputTop) * n }, uniformUpstream: uniformUpstream, into: p, values: values)
        let wRow = w + r * width + first
        InnerLoops.normalisePartials(weight: weight, w: weighted ? wRow : nil, count: n, p)
        // Each output row belongs to the band of its own row index, as in the forward pass.
        if rows.contains(r) { sums[r / rowsPerBand - bands.lowerBound] += InnerLoops.weightedRowSum(values, w: wRow, weight: weight, count: n) }
        adjoint.finishRows(through: r, gradientRow)
    }
    adjoint.finishRemainingRows(gradientRow)
}
