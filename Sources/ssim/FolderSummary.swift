import SSIMFormats
/// The outcome of comparing two folders: every pair's result or failure, the files without a
/// namesake, and what is printed at the end.
struct FolderSummary {
    /// A pair that could not be compared.
    struct Failure {
        var name: String
        var image1: String
        var image2: String
        var message: String
        var status: Int32

        /// The JSON line printed for the pair in place of its result.
        var json: JSONValue {
            .object([
                ("image1", .string(image1)), ("image2", .string(image2)), ("error", .string(message)),
                ("status", .integer(Int(status))), ("schemaVersion", .integer(ComparisonResult.schemaVersion)),
            ])
        }
    }

    /// How many of the lowest-SSIM pairs the summary lists.
    static let worstCount = 5

    var folder1: String
    var folder2: String
    var onlyInFirst: [String]
    var onlyInSecond: [String]
    var results: [(name: String, result: ComparisonResult)] = []
    var failures: [Failure] = []
    /// Whether `--min-ssim` or `--max-loss` was given (the summary then lists the pairs below).
    var hasThresholds = false
    /// What the pairs' `ssim` holds: "SSIM", or "MS-SSIM" for `--metric ms-ssim`.
    var metricName = "SSIM"

    /// The mean over the compared pairs of their mean SSIM (NaN when there is none).
    var meanSSIM: Double {
        results.isEmpty ? .nan : results.reduce(0.0) { $0 + $1.result.ssim } / Double(results.count)
    }

    /// The pairs of lowest SSIM, lowest first; NaN counts as the lowest.
    var worst: [(name: String, ssim: Double)] {
        let ranked = results.map { (name: $0.name, ssim: $0.result.ssim) }
            .sorted { ($0.ssim.isNaN ? -.infinity : $0.ssim, $0.name) < ($1.ssim.isNaN ? -.infinity : $1.ssim, $1.name) }
        return Array(ranked.prefix(Self.worstCount))
    }

    /// The pairs below `--min-ssim` or above `--max-loss`, in the order compared.
    var belowThreshold: [(name: String, result: ComparisonResult)] { results.filter { !$0.result.passed } }

    /// 0; or 65 when a pair's data could not be compared, or 1 when a pair failed otherwise; or,
    /// when no pair failed, 3 when a pair is below a threshold.
    var exitStatus: Int32 {
        if failures.isEmpty { return belowThreshold.isEmpty ? ExitStatus.success : ExitStatus.belowThreshold }
        return failures.contains { $0.status == ExitStatus.invalidData } ? ExitStatus.invalidData : ExitStatus.failure
    }

    /// The summary for people.
    var text: String {
        var lines = [
            "\(Self.count(results.count, "pair")) compared, \(failures.count) failed; mean \(metricName) "
                + ComparisonResult.format(meanSSIM)
        ]
        if !results.isEmpty {
            lines.append("Lowest \(metricName):")
            lines += worst.map { "  \(ComparisonResult.format($0.ssim))  \($0.name)" }
        }
        if hasThresholds {
            let below = belowThreshold
            lines.append("\(Self.count(below.count, "pair")) below the thresholds" + (below.isEmpty ? "" : ":"))
            lines += below.map { "  \(ComparisonResult.format($0.result.ssim))  \($0.name)  (\($0.result.unmet.joined(separator: ", ")))" }
        }
        if !failures.isEmpty {
            lines.append("Failed:")
            lines += failures.map { "  \($0.name): \($0.message)" }
        }
        for (folder, names) in [(folder1, onlyInFirst), (folder2, onlyInSecond)] where !names.isEmpty {
            lines.append("Only in '\(folder)': " + names.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// The summary as the last JSON line: `{"summary": {...}}`.
    var json: JSONValue {
        var thresholds: [(String, JSONValue)] = []
        if hasThresholds {
            thresholds = [
                (
                    "belowThreshold",
                    .array(
                        belowThreshold.map {
                            .object([("name", .string($0.name)), ("ssim", .number($0.result.ssim)), ("loss", .number($0.result.loss))])
                        })
                )
            ]
        }
        return .object([
            (
                "summary",
                .object(
                    [
                        ("folder1", .string(folder1)), ("folder2", .string(folder2)),
                        ("compared", .integer(results.count)), ("failed", .integer(failures.count)),
                        ("meanSSIM", .number(meanSSIM)),
                    ] + (metricName == "MS-SSIM" ? [("metric", JSONValue.string("ms-ssim"))] : []) + [
                        ("lowest", .array(worst.map { .object([("name", .string($0.name)), ("ssim", .number($0.ssim))]) })),
                        ("failures", .array(failures.map { .object([("name", .string($0.name)), ("error", .string($0.message))]) })),
                        ("onlyInFolder1", .array(onlyInFirst.map(JSONValue.string))),
                        ("onlyInFolder2", .array(onlyInSecond.map(JSONValue.string))),
                    ] + thresholds)
            ), ("schemaVersion", .integer(ComparisonResult.schemaVersion)),
        ])
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
