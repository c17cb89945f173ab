/// The forward SSIM of a batch of planes: writes the map of the target's statistic (when
/// `writesMap`) and returns the sums of what it computed (SSIM values for `.map`, losses for
/// `.loss`, contrast-structure terms for `.contrastStructure`), in `Double`, one per band: the
/// ``SSIMGeometry/bandsPerPlane`` bands of plane 0, then of plane 1, and so on.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimForward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget, writesMap: Bool
) -> (values: [Scalar], taskSums: [Double]) {
    var sums: [Double] = []
    // Every element is written: the bands cover all output rows.
    let values: [Scalar] = filledArray(count: writesMap ? g.outputCount : 0) { out in
        sums = withTaskInputs(x, y, window: k.window, upstream: [Scalar]()) { p in
            let shifts = PlaneShifts(p.x, p.y, geometry: g, centres: k.centresPlanes)
            return bandSumsOfTasks(planes: g.planeCount, bandsPerPlane: g.bandsPerPlane) { plane, bands, bandSums in
                // The output rows among the bands' image rows (none, for `valid`, in a band within
                // windowSize / 2 of the bottom edge).
                let rows = g.bands(bands).clamped(to: g.outputRows)
                guard !rows.isEmpty else { return }
                let workspace = MomentWorkspace<Scalar>(geometry: g)
                let row: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(workspace.stride)
                defer { workspace.deallocate(); row.deallocate() }
                let (shift1, shift2) = shifts(plane: plane)
                let n = g.outputWidth
                forEachMomentRow(
                    x: p.x + plane * g.planeSize, y: p.y + plane * g.planeSize, shift1: shift1, shift2: shift2, scale: k.scale,
                    geometry: g, window: p.window!, rows: rows, workspace: workspace
                ) { r, m in
                    let destination = out.map { $0.base + plane * g.outputPlaneSize + (r - g.outputRows.lowerBound) * n }
                    // SSIML1Loss (k.mix): the loss row mixed with the L1 of the pixels under it.
                    let pixels = plane * g.planeSize + r * g.width + g.outputColumns.lowerBound
                    bandSums[r / rowsPerBand - bands.lowerBound] += InnerLoops.formula(
                        m, count: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k, target: target,
                        pixels: k.mix == nil ? nil : (p.x + pixels, p.y + pixels), into: destination ?? row)
                }
            }
        }
    }
    return (values, sums)
}
