import Dispatch

/// Scratch memory that a task carves its buffers from, one after the other, and that the next
/// task of the same worker reuses whole (see ``resultsOfTasks(_:workspace:deallocate:_:)``).
///
/// ```
/// buffer i starts at the end of buffer i - 1, rounded up to 64 bytes;   reset(): all free again
/// ```
///
/// The block is sized by ``bytes(carving:)`` beforehand, so that each worker's memory is one
/// block, taken on the calling thread from ``ScratchBlocks``. A task that needs more than the
/// block holds gets the rest from the heap (`overflow`); ``reset()`` then replaces the block with
/// one as large as everything that task took. The buffers are uninitialized, as a fresh
/// allocation's are; they live until ``reset()`` or ``deallocate()``.
final class TaskMemory {
    private var block: ScratchBlocks.Block
    /// Bytes of `block` handed out since the last reset.
    private var used = 0
    /// Buffers taken from the heap since the last reset, when `block` was full.
    private var overflow: [UnsafeMutableRawPointer] = []
    /// Bytes handed out since the last reset, `block`'s and the overflow's.
    private var taken = 0
    /// Whether every buffer is the start of `block` (see ``bytes(carving:)``).
    private let measuring: Bool

    private static let alignment = 64

    init(bytes: Int) {
        block = ScratchBlocks.shared.take(bytes)
        measuring = false
    }

    private init(measuring: Void) {
        block = ScratchBlocks.shared.take(0)
        self.measuring = true
    }

    /// The bytes that `carve` takes from a memory: the size of a block that holds them. `carve`
    /// gets a memory that hands every buffer the start of one scratch block (as large as the
    /// largest buffer): it may write each buffer only until it asks for the next, as the kernels'
    /// initializers do (they zero some of their buffers), and must not keep them.
    static func bytes(carving carve: (TaskMemory) -> Void) -> Int {
        let memory = TaskMemory(measuring: ())
        carve(memory)
        defer { ScratchBlocks.shared.give(memory.block) }
        return memory.taken
    }

    /// The bytes of a block that holds buffers of `counts` values of type `T`.
    static func bytes<T>(holding counts: [Int], of _: T.Type) -> Int {
        counts.reduce(0) { $0 + bufferBytes($1, T.self) }
    }

    /// The bytes a buffer of `count` values of type `T` takes from the block.
    private static func bufferBytes<T>(_ count: Int, _: T.Type) -> Int {
        (max(count, 1) * MemoryLayout<T>.stride + alignment - 1) & ~(alignment - 1)
    }

    /// Room for `count` values of type `T`, uninitialized.
    func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = Self.bufferBytes(count, T.self)
        taken += bytes
        if measuring {
            if bytes > block.capacity {
                ScratchBlocks.shared.give(block)
                block = ScratchBlocks.shared.take(bytes)
            }
            return block.base.bindMemory(to: T.self, capacity: count)
        }
        guard used + bytes <= block.capacity else {
            let extra = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.alignment)
            overflow.append(extra)
            return extra.bindMemory(to: T.self, capacity: count)
        }
        defer { used += bytes }
        return (block.base + used).bindMemory(to: T.self, capacity: count)
    }

    /// Frees every buffer handed out; after an overflow, the block grows to what was taken.
    func reset() {
        if !overflow.isEmpty {
            for extra in overflow { extra.deallocate() }
            overflow = []
            ScratchBlocks.shared.give(block)
            block = ScratchBlocks.shared.take(taken)
        }
        used = 0
        taken = 0
    }

    func deallocate() {
        reset()
        ScratchBlocks.shared.give(block)
    }
}

/// The blocks of ``TaskMemory``: mapped from the system (``mapMemory(bytes:)``), not taken from
/// the heap, and up to ``limit`` bytes of them kept from one call to the next, so that a call
/// repeated on the same shapes neither maps nor faults its pages in again.
///
/// Large blocks from `malloc` made the heap grow to twice its live size when reused call after
/// call (the MS-SSIM + L1 backward of a 1 x 3 x 256 x 256 Double image: 106 MiB resident against
/// 54), and blocks mapped afresh for each call made the 15 ms MS-SSIM + L1 loss of that image a
/// sixth slower (its pages faulted in and zeroed every time). A request takes the smallest kept
/// block that holds it; one that none holds first unmaps the kept blocks smaller than itself, so
/// that the blocks kept never add to the peak of a call larger than the last. Where nothing can
/// be mapped (Windows), blocks come from the heap and none is kept.
final class ScratchBlocks: @unchecked Sendable {
    struct Block {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        let mapped: Bool
    }

    static let shared = ScratchBlocks()
    /// The most bytes kept between calls.
    static let limit = 32 << 20

    private var kept: [Block] = []
    private let lock = DispatchQueue(label: "StructuralSimilarity.ScratchBlocks")

    /// A block of at least `bytes` bytes.
    func take(_ bytes: Int) -> Block {
        let reused: Block? = lock.sync {
            if let i = kept.indices.filter({ kept[$0].capacity >= bytes }).min(by: { kept[$0].capacity < kept[$1].capacity }) {
                return kept.remove(at: i)
            }
            for block in kept where block.capacity < bytes { unmapMemory(block.base, bytes: block.capacity) }
            kept.removeAll { $0.capacity < bytes }
            return nil
        }
        if let reused { return reused }
        let size = max(bytes, 1)
        if let memory = mapMemory(bytes: size) { return Block(base: memory, capacity: size, mapped: true) }
        return Block(base: .allocate(byteCount: size, alignment: 64), capacity: size, mapped: false)
    }

    /// Gives `block` back: kept while the kept blocks stay within ``limit``, else unmapped.
    func give(_ block: Block) {
        guard block.mapped else {
            block.base.deallocate()
            return
        }
        let keeps: Bool = lock.sync {
            guard kept.reduce(block.capacity, { $0 + $1.capacity }) <= Self.limit else { return false }
            kept.append(block)
            return true
        }
        if !keeps { unmapMemory(block.base, bytes: block.capacity) }
    }
}
