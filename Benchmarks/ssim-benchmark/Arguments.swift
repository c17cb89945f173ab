/// A usage error: the arguments are wrong (exit status 64).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// The parsed command line.
struct Arguments {
    var list = false
    var json = false
    var help = false
    /// The cases to run, in the order given; empty for all.
    var caseNames: [String] = []
    var policy = RepetitionPolicy()

    static let usage = """
        OVERVIEW: Times the SSIM map, loss and loss gradient on named cases (build with -c release).

        USAGE: ssim-benchmark [--case NAME ...] [--json] [--min-time S] [--min-runs N]
               ssim-benchmark --list [--json]

        Each case runs once to warm up, then again until the timed runs add up to --min-time
        seconds and number at least --min-runs; a case whose warm-up and --min-runs runs would take
        more than 60 s runs once, and its line says so. Inputs are seeded uniform random pixels in
        [0, 1]. One line per case: median and minimum milliseconds, input megapixels (B C H W) per
        second at the median, and the process's peak resident memory so far (VmHWM), which is a
        case's own only when it is the only case run: use --case NAME in a fresh process to measure
        one case's memory. "others %" is the share of all cores' time that other processes took
        while the case was timed (from /proc/stat): the timings are trustworthy only near 0.

        OPTIONS:
          --case NAME             run only this case (repeatable; --list shows the names)
          --list                  list the cases and exit
          --json                  one JSON object per line instead of the table
          --min-time S            seconds of timed runs per case (default: 2)
          --min-runs N            timed runs per case at least (default: 3)
          -h, --help              show this help

        EXIT STATUS: 0 success, 64 usage error, 1 other errors.
        """

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(of option: String) throws -> String {
            guard let next = rest.popFirst() else { throw UsageError(description: "\(option) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help": help = true
            case "--list": list = true
            case "--json": json = true
            case "--case":
                let name = try value(of: argument)
                guard BenchmarkCase.all.contains(where: { $0.name == name }) else {
                    throw UsageError(description: "unknown case '\(name)'; 'ssim-benchmark --list' shows the names")
                }
                caseNames.append(name)
            case "--min-time":
                let text = try value(of: argument)
                guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
                    throw UsageError(description: "--min-time needs a number of seconds, at least 0; got '\(text)'")
                }
                policy.minimumSeconds = seconds
            case "--min-runs":
                let text = try value(of: argument)
                guard let runs = Int(text), runs >= 1 else {
                    throw UsageError(description: "--min-runs needs a whole number, at least 1; got '\(text)'")
                }
                policy.minimumRuns = runs
            default:
                throw UsageError(description: "unknown argument '\(argument)'")
            }
        }
    }

    /// The cases to run.
    var cases: [BenchmarkCase] {
        caseNames.isEmpty ? BenchmarkCase.all : caseNames.map { name in BenchmarkCase.all.first { $0.name == name }! }
    }
}
