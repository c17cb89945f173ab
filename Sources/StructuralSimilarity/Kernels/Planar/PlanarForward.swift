/// The forward SSIM of a batch of planes: writes the map of the target's statistic (when
/// `writesMap`) and returns the sums of what it computed (SSIM values for `.map`, losses for
/// `.loss`, contrast-structure terms for `.contrastStructure`), in `Double`, one per band: the
/// ``SSIMGeometry/bandsPerPlane`` bands of plane 0, then of plane 1, and so on.
///
/// With `alongside`, a second statistic (such as the SSIM beside the loss) comes from the same
/// moment rows, its map written when `writesAlongsideMap`, its band sums in the same order: the
/// moments are filtered once for both. Each result is bit for bit that of a pass of its own.
/// (No `alongside` with the photometric mix of ``SSIML1Loss``.)
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimForward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget, writesMap: Bool, alongside second: KernelTarget? = nil, writesAlongsideMap: Bool = false
) -> (values: [Scalar], taskSums: [Double], alongside: (values: [Scalar], taskSums: [Double])) {
    precondition(second == nil || k.mix == nil, "the photometric mix has no second statistic")
    var sums: [Double] = []
    var secondSums = [Double](repeating: 0, count: second == nil ? 0 : g.planeCount * g.bandsPerPlane)
    var secondValues: [Scalar] = []
    // Every element is written: the bands cover all output rows.
    let values: [Scalar] = filledArray(count: writesMap ? g.outputCount : 0) { out in
        secondValues = filledArray(count: second != nil && writesAlongsideMap ? g.outputCount : 0) { secondOut in
            sums = secondSums.withUnsafeMutableBufferPointer { secondBuffer in
                let secondSum = secondBuffer.baseAddress.map { SharedPointer(base: $0) }
                return withTaskInputs(x, y, window: k.window, upstream: [Scalar]()) { p in
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
                            let offset = plane * g.outputPlaneSize + (r - g.outputRows.lowerBound) * n
                            let destination = out.map { $0.base + offset }
                            // SSIML1Loss (k.mix): the loss row mixed with the L1 of the pixels under it.
                            let pixels = plane * g.planeSize + r * g.width + g.outputColumns.lowerBound
                            bandSums[r / rowsPerBand - bands.lowerBound] += InnerLoops.formula(
                                m, count: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k, target: target,
                                pixels: k.mix == nil ? nil : (p.x + pixels, p.y + pixels), into: destination ?? row)
                            if let second, let secondSum {
                                secondSum.base[plane * g.bandsPerPlane + r / rowsPerBand] += InnerLoops.formula(
                                    m, count: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k,
                                    target: second, into: secondOut.map { $0.base + offset } ?? row)
                            }
                        }
                    }
                }
            }
        }
    }
    return (values, sums, (secondValues, secondSums))
}
