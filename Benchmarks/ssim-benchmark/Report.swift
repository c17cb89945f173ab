import Foundation

/// The two output formats: aligned lines for people, JSON Lines for scripts.
enum Report {
    static let columns = [
        ("case", -22), ("shape", -16), ("dtype", -6), ("window", 6), ("padding", -7), ("operation", -9),
        ("runs", 5), ("median ms", 11), ("min ms", 11), ("MP/s", 9), ("peak MiB", 9), ("others %", 9),
    ]

    static func pad(_ text: String, _ width: Int) -> String {
        let n = abs(width)
        guard text.count < n else { return text }
        let fill = String(repeating: " ", count: n - text.count)
        return width < 0 ? text + fill : fill + text
    }

    static var header: String {
        columns.map { pad($0.0, $0.1) }.joined(separator: " ")
    }

    static func line(_ m: Measurement) -> String {
        let c = m.benchmarkCase
        let peak = m.peakResidentBytes.map { String(format: "%.0f", Double($0) / 1_048_576) } ?? "n/a"
        let fields = [
            c.name, c.shapeText, c.scalarType.rawValue, String(c.windowSize), c.padding.rawValue, c.operation.rawValue,
            String(m.runsMilliseconds.count), String(format: "%.2f", m.median), String(format: "%.2f", m.minimum),
            String(format: "%.1f", m.megapixelsPerSecond), peak,
            m.otherProcessesPercent.map { String(format: "%.0f", $0) } ?? "n/a",
        ]
        var text = zip(fields, columns).map { pad($0, $1.1) }.joined(separator: " ")
        if let note = m.note { text += "  (\(note))" }
        return text
    }

    static func line(_ c: BenchmarkCase) -> String {
        let fields = [c.name, c.shapeText, c.scalarType.rawValue, String(c.windowSize), c.padding.rawValue, c.operation.rawValue]
        return zip(fields, columns).map { pad($0, $1.1) }.joined(separator: " ")
    }

    /// The case's description as JSON members (no braces).
    static func members(_ c: BenchmarkCase) -> [String] {
        (c.convention.map { ["\"convention\": \(jsonQuoted($0.rawValue))"] } ?? [])
            + [
                "\"name\": \(jsonQuoted(c.name))",
                "\"shape\": [\(c.shape.map(String.init).joined(separator: ", "))]",
                "\"dtype\": \(jsonQuoted(c.scalarType.rawValue))",
                "\"window\": \(c.windowSize)",
                "\"padding\": \(jsonQuoted(c.padding.rawValue))",
                "\"operation\": \(jsonQuoted(c.operation.rawValue))",
                "\"input_bytes\": \(c.inputBytes)",
                "\"output_bytes\": \(c.outputBytes)",
            ]
    }

    static func json(_ c: BenchmarkCase) -> String {
        "{" + members(c).joined(separator: ", ") + "}"
    }

    /// `freshProcess`: whether this case was the only one the process ran, so that the peak
    /// memory is the case's own.
    static func json(_ m: Measurement, freshProcess: Bool) -> String {
        var members = members(m.benchmarkCase)
        members += [
            "\"runs\": \(m.runsMilliseconds.count)",
            "\"median_ms\": \(number(m.median))",
            "\"min_ms\": \(number(m.minimum))",
            "\"warm_up_ms\": \(number(m.warmUpMilliseconds))",
            "\"times_ms\": [\(m.runsMilliseconds.map(number).joined(separator: ", "))]",
            "\"megapixels_per_second\": \(number(m.megapixelsPerSecond))",
            "\"peak_rss_bytes\": \(m.peakResidentBytes.map(String.init) ?? "null")",
            "\"peak_rss_fresh_process\": \(freshProcess)",
            "\"check\": \(number(m.check))",
            "\"other_processes_cpu_percent\": \(m.otherProcessesPercent.map(number) ?? "null")",
            "\"note\": \(m.note.map(jsonQuoted) ?? "null")",
        ]
        return "{" + members.joined(separator: ", ") + "}"
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.6g", value) : "null"
    }
}

/// `text` as a JSON string, by Foundation's encoder (the benchmark links no image library:
/// SSIMFormats' codecs would add their start-up and some 7 MiB to every case's peak memory).
private func jsonQuoted(_ text: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .withoutEscapingSlashes
    return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
}
