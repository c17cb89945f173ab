// Shared by every fuzz target.
#if canImport(Glibc)
import Glibc
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
