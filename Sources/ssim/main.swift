#if canImport(Glibc)
import Glibc
#endif
import SSIMFormats

// The `ssim` command: see `Usage.swift` for what it does, `Command.swift` for how.
// Ctrl-C or a kill in the middle of writing an output leaves no temporary file behind, and a
// file-size limit (`ulimit -f`) fails the write with an error instead of killing the process.
OutputFile.removeTemporaryFilesOnInterrupt()
signal(SIGXFSZ, SIG_IGN)
exit(Command.main(Array(CommandLine.arguments.dropFirst())))
