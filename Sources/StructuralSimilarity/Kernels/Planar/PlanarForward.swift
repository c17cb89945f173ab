/// The forward SSIM of a batch of planes: writes the map or loss map (unless the target is a
/// reduced loss) and returns the sum of what it computed (SSIM values for `.map`, losses
/// otherwise), summed in `Double` in a fixed order.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssimForward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry g: SSIMGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget
) -> (values: [Scalar], sum: Double) {
    let bandsPerPlane = g.bandsPerPlane
    var sum = 0.0
    // Every element is written: the bands cover all output rows.
    let values: [Scalar] = filledArray(count: target.keepsMap ? g.outputCount : 0) { out in
        sum = withTaskInputs(x, y, window: k.window, upstream: [Scalar]()) { p in
            let shifts = PlaneShifts(p.x, p.y, geometry: g, centres: k.centresPlanes)
            return sumOfTasks(g.planeCount * bandsPerPlane) { task in
                let plane = task / bandsPerPlane, band = task % bandsPerPlane
                // The output rows among the band's image rows (none, for `valid`, in a band within
                // windowSize / 2 of the bottom edge).
                let rows = g.band(band).clamped(to: g.outputRows)
                guard !rows.isEmpty else { return 0 }
                let workspace = MomentWorkspace<Scalar>(geometry: g)
                let row: UnsafeMutablePointer<Scalar> = InnerLoops.allocateRows(workspace.stride)
                defer { workspace.deallocate(); row.deallocate() }
                let (shift1, shift2) = shifts(plane: plane)
                let n = g.outputWidth
                var bandSum = 0.0
                forEachMomentRow(
                    x: p.x + plane * g.planeSize, y: p.y + plane * g.planeSize, shift1: shift1, shift2: shift2, scale: k.scale,
                    geometry: g, window: p.window!, rows: rows, workspace: workspace
                ) { r, m in
                    let destination = out.map { $0.base + plane * g.outputPlaneSize + (r - g.outputRows.lowerBound) * n }
                    bandSum += InnerLoops.formula(
                        m, count: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale, constants: k,
                        dissimilarity: target.isLoss, into: destination ?? row)
                }
                return bandSum
            }
        }
    }
    return (values, sum)
}
