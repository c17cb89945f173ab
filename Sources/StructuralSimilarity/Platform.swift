// The C library of each platform, imported here only: the rest of the module calls the few
// wrappers below (exp, pow, mmap, madvise; a file that imports a C library must carry every
// platform's branch).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Android)
import Android
#elseif canImport(ucrt)
import ucrt
#elseif canImport(WASILibc)
import WASILibc
#else
#error("no C library module for this platform: add its branch to Platform.swift")
#endif

/// `e^x`, the platform's correctly rounded-in-practice `exp` (the Gaussian windows round it to
/// their scalar type, so their taps do not depend on the quality of a platform's `expf`).
@inline(__always)
func exponential(_ x: Double) -> Double { exp(x) }

/// `e^x` in float32, as pytorch-msssim builds its window (``SSIMWindow/gaussianFloat32(sigma:)``).
@inline(__always)
func exponential(_ x: Float) -> Float { expf(x) }

/// `x^y`, the platform's `pow` (Wang's MS-SSIM raises each scale's term to its weight).
@inline(__always)
func power(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// Whether the system grants `bytes` bytes at all. A Swift array whose allocation fails stops the
/// process, so sizes no machine can back (such as 4 TiB for `2^40` Floats) are refused before
/// the array is made. The probe maps that much anonymous memory and unmaps it at once, untouched
/// (the kernel's overcommit check is the one a large `malloc` meets, since `malloc` maps large
/// blocks the same way): a `malloc` and `free` pair would do elsewhere, but the optimizer may
/// remove such a pair and take the allocation as granted. Windows is not probed.
///
/// Sizes under 1 GiB are granted without a probe: the probe is two system calls, which every small
/// tensor would pay, and any machine this runs on has that much address space to map.
func canAllocate(bytes: Int) -> Bool {
    guard bytes >= 1 << 30 else { return true }
    #if canImport(Glibc) || canImport(Musl) || canImport(Darwin) || canImport(Android)
    guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
        memory != MAP_FAILED
    else { return false }
    munmap(memory, bytes)
    return true
    #else
    return true  // Windows: not probed (a malloc/free pair can be optimized away; VirtualAlloc is not compiled here)
    #endif
}

/// `bytes` bytes of zeroed memory mapped straight from the system (`mmap`), page-aligned, for
/// ``TaskMemory``'s blocks; nil where there is no such call (Windows) or the mapping fails.
/// ``unmapMemory(_:bytes:)`` gives the pages back at once, where the heap may keep a freed block's
/// pages while later allocations are placed around them (see ``ScratchBlocks``).
func mapMemory(bytes: Int) -> UnsafeMutableRawPointer? {
    #if canImport(Glibc) || canImport(Musl) || canImport(Darwin) || canImport(Android)
    guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), memory != MAP_FAILED else { return nil }
    return memory
    #else
    return nil
    #endif
}

/// Unmaps memory from ``mapMemory(bytes:)``.
func unmapMemory(_ memory: UnsafeMutableRawPointer, bytes: Int) {
    #if canImport(Glibc) || canImport(Musl) || canImport(Darwin) || canImport(Android)
    munmap(memory, bytes)
    #endif
}

/// The number of processors online (`sysconf`), at least 1; 8 where there is no such call
/// (Windows, WASI). It only sizes tasks (``bandSumsOfTasks(planes:bandsPerPlane:_:)``), never
/// what they compute.
let processorCount: Int = {
    #if canImport(Glibc) || canImport(Musl) || canImport(Darwin) || canImport(Android)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 8
    #endif
}()

/// Asks Linux to back the whole 2 MiB pages inside `buffer`, not yet touched, with huge pages
/// (`madvise(MADV_HUGEPAGE)`, which this system's default "madvise" mode of transparent huge
/// pages honours): a 48 MB output then takes 24 page faults instead of 12,000, which were a
/// third of a 4 x 3 x 1024 x 1024 map's time (37 -> 25 ms). Only a hint: elsewhere (macOS,
/// Windows, where there is no such call), or when it fails, nothing changes.
func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
    guard let base = buffer.baseAddress else { return }
    let hugePage = 2 << 20
    let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: base) + buffer.count) & ~(hugePage - 1)
    guard end > start else { return }
    _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, Int32(MADV_HUGEPAGE))
    #endif
}
