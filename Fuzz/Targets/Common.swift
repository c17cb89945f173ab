// Shared by every fuzz target; the C library for all of them (`@_exported`: one module per
// target, built by Scripts/fuzz.sh with libFuzzer, which runs on Linux and macOS).
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#elseif canImport(Android)
@_exported import Android
#elseif canImport(ucrt)
@_exported import ucrt
#else
#error("fuzz targets: no C library module (Glibc, Musl, Darwin, Android or ucrt) for this platform")
#endif

/// Whether to describe each outcome on standard error: set FUZZ_VERBOSE=1 when running a target
/// on single files (`fuzz-png Fuzz/Corpus/png/*`) to see what the reader made of them.
let fuzzVerbose = getenv("FUZZ_VERBOSE") != nil

/// Prints `message` on standard error when FUZZ_VERBOSE is set.
func fuzzReport(_ message: @autoclosure () -> String) {
    guard fuzzVerbose else { return }
    let line = Array((message() + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
