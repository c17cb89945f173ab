/// Scratch memory that a task carves its buffers from, one after the other, and that the next
/// task of the same worker reuses whole (see ``resultsOfTasks(_:workspace:deallocate:_:)``).
///
/// ```
/// buffer i starts at the end of buffer i - 1, rounded up to 64 bytes;   reset(): all free again
/// ```
///
/// The block is sized by ``bytes(carving:)`` beforehand, so that each worker's memory is one
/// allocation made on the calling thread. A task that needs more than the block holds gets the
/// rest from the system (`overflow`); ``reset()`` then replaces the block with one as large as
/// everything that task took. The buffers are uninitialized, as a fresh allocation's are; they
/// live until ``reset()`` or ``deallocate()``.
final class TaskMemory {
    private var block: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes of `block` handed out since the last reset.
    private var used = 0
    /// Blocks taken from the system since the last reset, when `block` was full.
    private var overflow: [UnsafeMutableRawPointer] = []
    /// Bytes handed out since the last reset, `block`'s and the overflow's.
    private var taken = 0
    /// Whether every buffer is the start of `block` (see ``bytes(carving:)``).
    private let measuring: Bool

    private static let alignment = 64

    /// Whether `block` came from ``mapMemory(bytes:)``.
    private var mapped = false

    init(bytes: Int) {
        capacity = bytes
        measuring = false
        (block, mapped) = Self.block(bytes)
    }

    /// A block of `bytes`: mapped from the system (see ``mapMemory(bytes:)``), else from the heap.
    private static func block(_ bytes: Int) -> (UnsafeMutableRawPointer, mapped: Bool) {
        if let memory = mapMemory(bytes: bytes) { return (memory, true) }
        return (.allocate(byteCount: max(bytes, 1), alignment: alignment), false)
    }

    private func freeBlock() {
        if mapped { unmapMemory(block, bytes: capacity) } else { block.deallocate() }
    }

    private init(measuring: Void) {
        capacity = 0
        self.measuring = true
        (block, mapped) = Self.block(0)
    }

    /// The bytes that `carve` takes from a memory: the size of a block that holds them. `carve`
    /// gets a memory that hands every buffer the start of one scratch block (as large as the
    /// largest buffer): it may write each buffer only until it asks for the next, as the kernels'
    /// initializers do (they zero some of their buffers), and must not keep them.
    static func bytes(carving carve: (TaskMemory) -> Void) -> Int {
        let memory = TaskMemory(measuring: ())
        carve(memory)
        defer { memory.freeBlock() }
        return memory.taken
    }

    /// Room for `count` values of type `T`, uninitialized.
    func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = (max(count, 1) * MemoryLayout<T>.stride + Self.alignment - 1) & ~(Self.alignment - 1)
        taken += bytes
        if measuring {
            if bytes > capacity {
                freeBlock()
                capacity = bytes
                (block, mapped) = Self.block(bytes)
            }
            return block.bindMemory(to: T.self, capacity: count)
        }
        guard used + bytes <= capacity else {
            let extra = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.alignment)
            overflow.append(extra)
            return extra.bindMemory(to: T.self, capacity: count)
        }
        defer { used += bytes }
        return (block + used).bindMemory(to: T.self, capacity: count)
    }

    /// Frees every buffer handed out; after an overflow, the block grows to what was taken.
    func reset() {
        if !overflow.isEmpty {
            for extra in overflow { extra.deallocate() }
            overflow = []
            freeBlock()
            capacity = taken
            (block, mapped) = Self.block(capacity)
        }
        used = 0
        taken = 0
    }

    func deallocate() {
        reset()
        freeBlock()
    }
}
