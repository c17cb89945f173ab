/// A JSON value, written on one line with its keys in the order given: what the `ssim` command
/// and the benchmark print for scripts.
///
/// ```swift
/// JSONValue.object([("ssim", .number(0.5)), ("shape", .array([.integer(1)]))]).text
/// // {"ssim": 0.5, "shape": [1]}
/// ```
public enum JSONValue: Sendable {
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case bool(Bool)
    case null

    /// The value as JSON text. Numbers use Swift's shortest round-trip form; NaN and
    /// infinities (from NaN pixels) become null, as JSON has no such numbers.
    public var text: String {
        switch self {
        case let .number(value): return value.isFinite ? "\(value)" : "null"
        case let .integer(value): return "\(value)"
        case let .string(value): return Self.quoted(value)
        case let .array(values): return "[" + values.map(\.text).joined(separator: ", ") + "]"
        case let .object(fields):
            return "{" + fields.map { "\(Self.quoted($0.0)): \($0.1.text)" }.joined(separator: ", ") + "}"
        case let .bool(value): return value ? "true" : "false"
        case .null: return "null"
        }
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
