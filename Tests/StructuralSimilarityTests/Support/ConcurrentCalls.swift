import Dispatch

/// `compute(inputs[i])` for every `i`, all at once, each on its own thread (`concurrentPerform`);
/// an empty array where it threw. The concurrency tests compare this with the serial results.
///
/// ```swift
/// let concurrent = concurrentResults(inputs, compute)
/// for i in inputs.indices { #expect(concurrent[i] == serial[i], "call \(i)") }
/// ```
func concurrentResults<Input, Value>(_ inputs: [Input], _ compute: @escaping (Input) throws -> [Value]) -> [[Value]] {
    // One slot per thread in raw memory: no shared array storage is mutated concurrently.
    let count = inputs.count
    let slots = UnsafeMutablePointer<[Value]>.allocate(capacity: count)
    slots.initialize(repeating: [], count: count)
    defer { slots.deinitialize(count: count); slots.deallocate() }
    nonisolated(unsafe) let results = slots
    nonisolated(unsafe) let run = compute
    nonisolated(unsafe) let shared = inputs
    DispatchQueue.concurrentPerform(iterations: count) { i in
        results[i] = (try? run(shared[i])) ?? []
    }
    return Array(UnsafeBufferPointer(start: slots, count: count))
}
