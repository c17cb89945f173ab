import StructuralSimilarity

/// A usage error: the arguments are wrong, not the data (exit status 64).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// The parsed command line.
struct Options {
    var inputs: [String] = []
    var windowSize = 11
    var maxValue = 1.0
    var eps = 1e-12
    var padding = Padding.same
    var reduction = Reduction.mean
    var json = false
    var mapPath: String?
    var lossMapPath: String?
    var gradPath: String?
    var outputDirectory = "demo-output"
    var help = false
    var version = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(for option: String) throws -> String {
            guard let next = rest.popFirst() else { throw UsageError(description: "\(option) needs a value") }
            return next
        }
        func number<T: LosslessStringConvertible>(_ option: String) throws -> T {
            let text = try value(for: option)
            guard let parsed = T(text) else { throw UsageError(description: "\(option) takes a number, not '\(text)'") }
            return parsed
        }
        func choice<T: RawRepresentable & CaseIterable>(_ option: String) throws -> T where T.RawValue == String {
            let text = try value(for: option)
            guard let parsed = T(rawValue: text) else {
                let names = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError(description: "\(option) takes one of \(names), not '\(text)'")
            }
            return parsed
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help": help = true
            case "--version": version = true
            case "--json": json = true
            case "--window-size": windowSize = try number(argument)
            case "--max-value": maxValue = try number(argument)
            case "--eps": eps = try number(argument)
            case "--padding": padding = try choice(argument)
            case "--reduction": reduction = try choice(argument)
            case "--map": mapPath = try value(for: argument)
            case "--loss-map": lossMapPath = try value(for: argument)
            case "--grad": gradPath = try value(for: argument)
            case "--output": outputDirectory = try value(for: argument)
            default:
                if argument.hasPrefix("-") && argument != "-" {
                    throw UsageError(description: "unknown option '\(argument)'")
                }
                inputs.append(argument)
            }
        }
        for (option, path) in [("--loss-map", lossMapPath), ("--grad", gradPath)] {
            if let path, !path.hasSuffix(".npy") { throw UsageError(description: "\(option) writes .npy files; '\(path)' does not end in .npy") }
        }
        if let mapPath, !(mapPath.hasSuffix(".npy") || mapPath.hasSuffix(".png")) {
            throw UsageError(description: "--map writes .png (heat-map) or .npy (values); '\(mapPath)' is neither")
        }
    }
}
