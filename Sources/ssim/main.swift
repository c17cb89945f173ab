import SSIMFormats

// The `ssim` command: see `Usage.swift` for what it does, `Command.swift` for how.
// Ctrl-C or a kill in the middle of writing an output leaves no temporary file behind, and a
// file-size limit (`ulimit -f`) fails the write with an error instead of killing the process.
OutputFile.removeTemporaryFilesOnInterrupt()
// (The C library comes from Platform.swift.) Windows has no SIGXFSZ (nor file-size limits that
// raise a signal): there the write fails with an error anyway. Unverified: no Windows Swift here.
#if !os(Windows)
signal(SIGXFSZ, SIG_IGN)
#endif
exit(Command.main(Array(CommandLine.arguments.dropFirst())))
