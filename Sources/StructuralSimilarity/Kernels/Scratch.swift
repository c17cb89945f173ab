#if os(Linux)
import Glibc
#endif

/// An array of `count` scalars that the caller promises to write in full before reading: large
/// outputs skip the zero fill (a tenth of a forward pass at 4 x 3 x 1024 x 1024).
func arrayToFill<Scalar: SSIMScalar>(count: Int) -> [Scalar] {
    // An empty one is the plain literal: `unsafeUninitializedCapacity: 0` writes its count into
    // the storage that all empty arrays share (ThreadSanitizer saw two threads do it at once).
    guard count > 0 else { return [] }
    return [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
        initialized = count
        adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
    }
}

/// Asks Linux to back the whole 2 MiB pages inside `buffer`, not yet touched, with huge pages
/// (`madvise(MADV_HUGEPAGE)`, which this system's default "madvise" mode of transparent huge
/// pages honours): a 48 MB output then takes 24 page faults instead of 12,000, which were a
/// third of a 4 x 3 x 1024 x 1024 map's time (37 -> 25 ms). Only a hint: elsewhere, or when it
/// fails, nothing changes.
func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
    guard let base = buffer.baseAddress else { return }
    let hugePage = 2 << 20
    let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: base) + buffer.count) & ~(hugePage - 1)
    guard end > start else { return }
    _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
    #endif
}
