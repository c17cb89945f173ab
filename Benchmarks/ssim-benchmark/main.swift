// ssim-benchmark: times named SSIM cases; see `ssim-benchmark --help`.
import Foundation

func printError(_ message: String) {
    FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
}

func run(_ arguments: Arguments) throws {
    if arguments.help { print(Arguments.usage); return }
    if arguments.list {
        for c in arguments.cases { print(arguments.json ? Report.json(c) : Report.line(c)) }
        return
    }
    let cases = arguments.cases
    if !arguments.json {
        #if DEBUG
        print("# WARNING: a debug build; time a release build (swift run -c release ssim-benchmark)")
        #endif
        print(
            "# \(ProcessInfo.processInfo.activeProcessorCount) cores; peak MiB = the process's VmHWM so far"
                + (cases.count > 1 ? " (cumulative: use --case NAME for one case's own peak)" : ""))
        print(Report.header)
    }
    for c in cases {
        let m = try measure(c, policy: arguments.policy)
        print(arguments.json ? Report.json(m, freshProcess: cases.count == 1) : Report.line(m))
        fflush(nil)  // each line as soon as its case ends, also through a pipe
    }
}

do {
    try run(try Arguments(Array(CommandLine.arguments.dropFirst())))
} catch let error as UsageError {
    printError("\(error)\nUsage: ssim-benchmark [--case NAME ...] [--json]  (see 'ssim-benchmark --help')")
    exit(64)
} catch {
    printError("\(error)")
    exit(1)
}
