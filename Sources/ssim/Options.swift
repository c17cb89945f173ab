import StructuralSimilarity

/// The SSIM options of one comparison, as the library takes them.
struct SSIMSettings {
    var windowSize = 11
    var maxValue = 1.0
    var eps = 1e-12
    var padding = Padding.same
    var reduction = Reduction.mean
}

/// The parsed command line. Options may come before, between or after the arguments; `--`
/// ends the options; `--name=value` is the same as `--name value`.
struct Options {
    var inputs: [String] = []
    var settings = SSIMSettings()
    var json = false
    /// Where to write the SSIM map, the loss map and the gradient: files when comparing two
    /// files, folders when comparing two folders.
    var outputs = OutputPaths()
    var outputDirectory = "demo-output"
    var help = false
    var version = false
    /// The options that were given, by their long name (`--map`, `--output`, ...).
    var given: Set<String> = []

    /// The options that only apply to comparisons.
    static let comparisonOptions = [
        "--window-size", "--max-value", "--eps", "--padding", "--reduction", "--json", "--map", "--loss-map", "--grad",
    ]

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        var inlineValue: String?
        func value(for option: String) throws -> String {
            if let inline = inlineValue { inlineValue = nil; return inline }
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
        while var argument = rest.popFirst() {
            if argument == "--" { inputs += rest; break }
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                inlineValue = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            switch argument {
            case "-h", "--help": help = true
            case "--version": version = true
            case "--json": json = true
            case "--window-size": settings.windowSize = try number(argument)
            case "--max-value": settings.maxValue = try number(argument)
            case "--eps": settings.eps = try number(argument)
            case "--padding": settings.padding = try choice(argument)
            case "--reduction": settings.reduction = try choice(argument)
            case "--map": outputs.map = try value(for: argument)
            case "--loss-map": outputs.lossMap = try value(for: argument)
            case "--grad": outputs.gradient = try value(for: argument)
            case "--output": outputDirectory = try value(for: argument)
            default:
                if argument.hasPrefix("-") && argument != "-" {
                    throw UsageError(description: "unknown option '\(argument)'")
                }
                inputs.append(argument)
            }
            if let inline = inlineValue {
                throw UsageError(description: "\(argument) takes no value, not '\(inline)'")
            }
            if argument.hasPrefix("-") { given.insert(argument == "-h" ? "--help" : argument) }
        }
        try validate()
    }

    /// Rejects values the library would reject, as usage errors (they are the arguments' fault,
    /// not the data's).
    private func validate() throws {
        guard settings.windowSize >= 1, settings.windowSize % 2 == 1 else {
            throw UsageError(description: "--window-size must be a positive odd number such as 11, not \(settings.windowSize)")
        }
        guard settings.maxValue.isFinite, settings.maxValue > 0 else {
            throw UsageError(description: "--max-value must be finite and positive (1 for [0, 1] data, 255 for 8-bit), not \(settings.maxValue)")
        }
        guard settings.eps.isFinite, settings.eps >= 0 else {
            throw UsageError(description: "--eps must be finite and not negative, not \(settings.eps)")
        }
    }
}
