/// The forward 3-D SSIM of a batch of volumes: writes the map of the target's statistic (when
/// `writesMap`) and returns the sums of what it computed (see
/// ``ssimForward(_:_:geometry:constants:target:writesMap:)``), one per task, volume after volume.
///
/// Each volume is centred on its own mean when the window sums to 1 (one shift per volume and image, as a 2-D plane is
/// centred on its plane mean) and its moments come from
/// ``forEachMomentSlice(x:y:shift1:shift2:scale:geometry:window:slices:workspace:_:)``; the
/// formula is the 2-D one (`ssim_formula_f`). The work is split into tasks of a slab of slices
/// and a tile of rows (``VolumeGeometry/task(_:)``) run in parallel; each filters the input
/// slices and rows its windows reach (up to `windowSize / 2` beyond each side).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssim3DForward<Scalar: SSIMScalar>(
    _ x: [Scalar], _ y: [Scalar], geometry v: VolumeGeometry, constants k: SSIMConstants<Scalar>,
    target: KernelTarget, writesMap: Bool
) -> (values: [Scalar], taskSums: [Double]) {
    let tasksPerVolume = v.tasksPerVolume
    var sums: [Double] = []
    // Every element is written: the tasks cover all output slices and rows.
    let values: [Scalar] = filledArray(count: writesMap ? v.outputCount : 0) { out in
        sums = withTaskInputs(x, y, window: k.window, upstream: [Scalar]()) { p in
            let shifts =
                k.centresPlanes ? planeShifts(p.x, p.y, planes: v.volumeCount, planeSize: v.volumeSize) : [Scalar](repeating: 0, count: 2 * v.volumeCount)
            // A task's output rows: at most a tile's, within the output rows.
            let rowCapacity = min(v.rowsPerTile, v.outputHeight)
            return resultsOfTasks(
                v.volumeCount * tasksPerVolume,
                workspace: { VolumeMomentWorkspace<Scalar>(geometry: v, rowCapacity: rowCapacity) },
                deallocate: { $0.deallocate() }
            ) { task, workspace in
                let volume = task / tasksPerVolume
                let (slab, tile) = v.task(task % tasksPerVolume)
                // The output slices and rows among the task's input slices and rows (none, for
                // `valid`, in a slab or tile within windowSize / 2 of the far side).
                let slices = slab.clamped(to: v.outputSlices), rows = tile.clamped(to: v.slice.outputRows)
                guard !slices.isEmpty && !rows.isEmpty else { return 0 }
                let row = workspace.row
                let shift1 = shifts[2 * volume], shift2 = shifts[2 * volume + 1]
                let n = v.outputWidth, first = v.outputSlices.lowerBound, top = v.slice.outputRows.lowerBound
                var taskSum = 0.0
                forEachMomentSlice(
                    x: p.x + volume * v.volumeSize, y: p.y + volume * v.volumeSize,
                    shift1: shift1, shift2: shift2, scale: k.scale,
                    geometry: v, window: p.window!, slices: slices, rows: rows, workspace: workspace
                ) { o, moments in
                    let sliceOutput = out.map { $0.base + volume * v.outputVolumeSize + (o - first) * v.outputSliceSize }
                    for r in rows {
                        taskSum += InnerLoops.formula(
                            moments.rows(r - rows.lowerBound), count: n, shift1: shift1 * k.scale, shift2: shift2 * k.scale,
                            constants: k, target: target, into: sliceOutput.map { $0 + (r - top) * n } ?? row)
                    }
                }
                return taskSum
            }
        }
    }
    return (values, sums)
}
