import Dispatch

/// A pointer that may cross into the tasks' closure: every task writes a disjoint part of the
/// memory it points to.
struct SharedPointer<Pointee>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Pointee>
}

/// Runs tasks `0..<tasks` on all cores and returns their results in task order (the tasks are
/// fixed by the shapes, never by the thread count).
func resultsOfTasks(_ tasks: Int, _ body: @Sendable (Int) -> Double) -> [Double] {
    resultsOfTasks(tasks, workspace: {}, deallocate: { _ in }, { task, _ in body(task) })
}

/// Runs tasks `0..<tasks` on all cores, each with a workspace of its own while it runs, and
/// returns their results in task order.
///
/// `make` runs `min(tasks, processorCount)` times, on the calling thread, before any task;
/// each of as many workers takes the next task not yet taken, with its own workspace, until none
/// is left; `deallocate` frees them at the end. So the scratch memory of a call is that many
/// workspaces, however many tasks there are, all made on the calling thread: tasks that made
/// their own on the worker threads left freed copies in each thread's `malloc` arena (the loss
/// and gradient of a 1 x 1 x 64 x 128 x 128 volume peaked at 58 MiB resident with 20 MiB of
/// live heap; 43 MiB this way). A task must leave nothing in its workspace that the next one
/// reads.
func resultsOfTasks<Workspace>(
    _ tasks: Int, workspace make: () -> Workspace, deallocate: (Workspace) -> Void,
    _ body: @Sendable (_ task: Int, _ workspace: Workspace) -> Double
) -> [Double] {
    guard tasks > 0 else { return [] }
    let workspaces = TaskWorkspaces(all: (0..<min(tasks, processorCount)).map { _ in make() })
    defer { workspaces.all.forEach(deallocate) }
    let queue = TaskCounter(count: tasks)
    var sums = [Double](repeating: 0, count: tasks)
    sums.withUnsafeMutableBufferPointer { buffer in
        let results = SharedPointer(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: workspaces.all.count) { worker in
            while let task = queue.next() { results.base[task] = body(task, workspaces.all[worker]) }
        }
    }
    return sums
}

/// The workspaces of ``resultsOfTasks(_:workspace:deallocate:_:)``: each worker uses only its own.
private struct TaskWorkspaces<Workspace>: @unchecked Sendable {
    let all: [Workspace]
}

/// The next task to run, handed out once each to whichever worker asks first.
private final class TaskCounter: @unchecked Sendable {
    private let count: Int
    private var taken = 0
    private let lock = DispatchQueue(label: "StructuralSimilarity.TaskCounter")

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.sync {
            guard taken < count else { return nil }
            taken += 1
            return taken - 1
        }
    }
}

/// Runs tasks `0..<tasks` on all cores and returns the sum of their results, added in task
/// order: the same, bit for bit, whatever the number of threads.
func sumOfTasks(_ tasks: Int, _ body: @Sendable (Int) -> Double) -> Double {
    resultsOfTasks(tasks, body).reduce(0, +)
}

/// Runs tasks `0..<tasks` on all cores as ``sumOfTasks(_:_:)`` does, each carving its scratch
/// buffers from a ``TaskMemory`` of its worker's (see
/// ``resultsOfTasks(_:workspace:deallocate:_:)``), reset before each task: one block of
/// `memoryBytes` per worker (what the task that needs the most takes, see
/// ``TaskMemory/bytes(carving:)``), made on the calling thread.
func sumOfTasks(
    _ tasks: Int, memoryBytes: Int, _ body: @Sendable (_ task: Int, _ memory: TaskMemory) -> Double
) -> Double {
    resultsOfTasks(tasks, workspace: { TaskMemory(bytes: memoryBytes) }, deallocate: { $0.deallocate() }) { task, memory in
        memory.reset()
        return body(task, memory)
    }.reduce(0, +)
}

/// Runs the row bands of `planes` planes (``SSIMGeometry/bandsPerPlane`` each) on all cores, in
/// tasks of up to four consecutive bands of one plane, and returns one sum per band, plane after
/// plane. `body(plane, bands, sums)` computes the bands `bands` of `plane` and adds each output
/// row's sum into `sums[band - bands.lowerBound]`, row after row: so each band's sum is the same,
/// bit for bit, however the bands are grouped. A group shares the `windowSize / 2` rows beyond
/// each of its bands' edges, which a task of one band recomputes (about 8 % of the work at 128 rows
/// and 11 taps); groups stay small enough for four tasks per processor, so that the cores share the
/// work evenly.
func bandSumsOfTasks(
    planes: Int, bandsPerPlane: Int,
    _ body: @Sendable (_ plane: Int, _ bands: Range<Int>, _ sums: UnsafeMutablePointer<Double>) -> Void
) -> [Double] {
    var largest = 4
    while largest > 1 && planes * ((bandsPerPlane + largest - 1) / largest) < 4 * processorCount { largest /= 2 }
    let group = largest, groupsPerPlane = (bandsPerPlane + group - 1) / group
    var sums = [Double](repeating: 0, count: planes * bandsPerPlane)
    sums.withUnsafeMutableBufferPointer { buffer in
        let base = SharedPointer(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: planes * groupsPerPlane) { task in
            let plane = task / groupsPerPlane, first = (task % groupsPerPlane) * group
            body(plane, first..<min(first + group, bandsPerPlane), base.base + plane * bandsPerPlane + first)
        }
    }
    return sums
}

/// The read-only memory of one evaluation, pinned for its tasks: the two images, the window and
/// the upstream gradient (nil where the evaluation has none).
struct TaskInputs<Scalar, Upstream>: @unchecked Sendable {
    let x: UnsafePointer<Scalar>
    let y: UnsafePointer<Scalar>
    let window: UnsafePointer<Scalar>?
    let upstream: UnsafePointer<Upstream>?
}

/// Runs `body` with `x`, `y`, `window` and `upstream` pinned in memory (see ``TaskInputs``).
func withTaskInputs<Scalar, Upstream, Result>(
    _ x: [Scalar], _ y: [Scalar], window: [Scalar] = [], upstream: [Upstream] = [],
    _ body: (TaskInputs<Scalar, Upstream>) -> Result
) -> Result {
    x.withUnsafeBufferPointer { xb in
        y.withUnsafeBufferPointer { yb in
            window.withUnsafeBufferPointer { wb in
                upstream.withUnsafeBufferPointer { ub in
                    body(
                        TaskInputs(
                            x: xb.baseAddress!, y: yb.baseAddress!, window: wb.isEmpty ? nil : wb.baseAddress,
                            upstream: ub.isEmpty ? nil : ub.baseAddress))
                }
            }
        }
    }
}

/// An array of `count` elements that `fill` writes in full, in parallel tasks, before anyone
/// reads it: large outputs skip the zero fill (a tenth of a forward pass at 4 x 3 x 1024 x 1024)
/// and ask for huge pages (``adviseHugePages(_:)``). `fill` gets nil for `count` 0: an empty
/// array's base address may be the storage all empty arrays share, never to be written
/// (ThreadSanitizer saw two threads write its count at once).
func filledArray<Scalar>(count: Int, _ fill: (SharedPointer<Scalar>?) -> Void) -> [Scalar] {
    guard count > 0 else {
        fill(nil)
        return []
    }
    return [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
        adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
        fill(SharedPointer(base: buffer.baseAddress!))
        initialized = count
    }
}
