import Foundation
import SSIMFormats
import StructuralSimilarity
import Testing

// POSIX only (`/bin/sh`, `ulimit -f`, `kill`, SIGINT and signal masks; the C library comes
// through Foundation): not compiled on Windows, where the interrupt cleanup does less (see
// Sources/CInterruptCleanup).
#if !os(Windows)
/// Writes that cannot finish: a full disk (stood in for by a file-size limit, which fails
/// `write` the same way midway through a file) and a Ctrl-C while an output is being written.
/// Neither may leave a partial output or a temporary file.
@Suite struct InterruptedWriteTests {
    /// Two 1 x 1 x n x n float32 `.npy` files in a new folder.
    func inputs(size n: Int) throws -> String {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 1, n, n], 37, 101)
        let y: Tensor<Float> = try CLI.pattern([1, 1, n, n], 41, 103)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/b.npy")
        return dir
    }

    @Test func aFullDiskFailsTheWriteWithAnErrorAndLeavesNothing() throws {
        let dir = try inputs(size: 512)
        // `ulimit -f 1024`: files may not grow past 512 KiB; the 1 MiB map cannot be written.
        // (ThreadSanitizer's runtime itself needs more than a few KiB.)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f 1024 && exec \"$0\" a.npy b.npy --map map.npy", CLI.binary.path]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(message)")
        #expect(message.hasPrefix("Error: ") && message.contains("map.npy") && message.contains("File too large; free some space"), "\(message)")
        #expect(try CLI.files(in: dir) == ["a.npy", "b.npy"])
    }

    @Test func anInterruptWhileWritingLeavesNoTemporaryFile() throws {
        // Outputs of 4 MiB each take milliseconds to write: the test watches the folder for a
        // temporary file and interrupts the command while one exists.
        let dir = try inputs(size: 1024)
        var interruptedMidWrite = false
        for _ in 0..<10 where !interruptedMidWrite {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["a.npy", "b.npy", "--map", "map.npy", "--loss-map", "loss.npy", "--grad", "grad.npy"]
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try runWithInterruptsDeliverable(process)
            while process.isRunning {
                if try CLI.files(in: dir).contains(where: { $0.hasSuffix(".tmp") }) {
                    kill(process.processIdentifier, SIGINT)
                    interruptedMidWrite = true
                    break
                }
                usleep(200)
            }
            process.waitUntilExit()
            let files = try CLI.files(in: dir)
            #expect(!files.contains { $0.hasSuffix(".tmp") }, "\(files)")
            // Whatever was written is whole.
            for output in ["map.npy", "loss.npy", "grad.npy"] where files.contains(output) {
                #expect(try CLI.bytes("\(dir)/\(output)").count == 128 + 4 * 1024 * 1024, "\(output)")
            }
            if interruptedMidWrite {
                #expect(
                    process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT,
                    "status \(process.terminationStatus), reason \(process.terminationReason.rawValue), files \(files)")
            }
            for output in ["map.npy", "loss.npy", "grad.npy"] { try? FileManager.default.removeItem(atPath: "\(dir)/\(output)") }
        }
        #expect(interruptedMidWrite, "no attempt caught a temporary file on disk")
    }
}

/// Starts `process` with SIGINT unblocked: a child inherits the signal mask of the thread that
/// starts it, and the test runner's threads block SIGINT (a shell's children do not).
func runWithInterruptsDeliverable(_ process: Process) throws {
    var interrupt = sigset_t(), previous = sigset_t()
    sigemptyset(&interrupt)
    sigaddset(&interrupt, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &interrupt, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    try process.run()
}
#endif
