/// The weight planes of a masked evaluation: `(B, 1, H, W)` shared by the channels of an image, or
/// `(B, C, H, W)` one per plane.
struct WeightPlanes<Scalar: SSIMScalar>: Sendable {
    /// The weights, every one in [0, 1] (NaN pixels already given weight 0 where asked).
    let scalars: [Scalar]
    /// 1 or the images' channels.
    let channels: Int
    /// The images' channels.
    let imageChannels: Int

    /// The index of the weight plane of image plane `plane` (batch-major, as the images).
    func index(ofPlane plane: Int) -> Int {
        channels == imageChannels ? plane : plane / imageChannels
    }
}

/// The forward pass of the weighted SSIM over a batch of planes: writes the map of the target's
/// statistic (when `writesMap`; NaN where `G * w` is 0) and returns, one per band (the
/// ``SSIMGeometry/bandsPerPlane`` bands of plane 0, then of plane 1, ...), the sums `sum w S`
/// over the elements where `G * w > 0`, with `w` the weight of the element's own pixel.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func maskedForward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], weights: WeightPlanes<Scalar>, geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget, writesMap: Bool
) -> (values: [Scalar], taskSums: [Double]) {
    var sums: [Double] = []
    let values: [Scalar] = filledArray(count: writesMap ? g.outputCount : 0) { out in
        // The weights ride in the inputs' upstream slot: read-only memory pinned for the tasks.
        sums = withTaskInputs(x, y, window: k.window, upstream: weights.scalars) { p in
            let shifts = maskedPlaneShifts(p.x, p.y, weights: weights, geometry: g, centres: k.centresPlanes)
            return bandSumsOfTasks(planes: g.planeCount, bandsPerPlane: g.bandsPerPlane) { plane, bands, bandSums in
                let rows = g.bands(bands).clamped(to: g.outputRows)
                guard !rows.isEmpty else { return }
                let workspace = MomentWorkspace<Scalar>(geometry: g, quantities: 6)
                let row: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(workspace.stride)
                defer { workspace.deallocate(); row.deallocate() }
                let (shift1, shift2) = (shifts[2 * plane], shifts[2 * plane + 1])
                let w = p.upstream! + weights.index(ofPlane: plane) * g.planeSize
                let n = g.outputWidth, first = g.outputColumns.lowerBound
                forEachWeightedMomentRow(
                    x: p.x + plane * g.planeSize, y: p.y + plane * g.planeSize, w: w, shift1: shift1, shift2: shift2, scale: k.scale,
                    geometry: g, window: p.window!, rows: rows, workspace: workspace
                ) { r, weight, m in
                    let destination = out.map { $0.base + plane * g.outputPlaneSize + (r - g.outputRows.lowerBound) * n } ?? row
                    _ = InnerLoops.formula(
                        m, count: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k, target: target, into: destination)
                    bandSums[r / rowsPerBand - bands.lowerBound] += InnerLoops.weightedRowSum(
                        destination, w: w + r * g.width + first, weight: weight, count: n)
                }
            }
        }
    }
    return (values, sums)
}
