#if canImport(Glibc)
import Glibc
#endif

// The `ssim` command: see `Usage.swift` for what it does, `Command.swift` for how.
exit(Command.main(Array(CommandLine.arguments.dropFirst())))
