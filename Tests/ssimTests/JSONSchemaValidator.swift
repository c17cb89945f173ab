import Foundation

/// A JSON value as parsed by ``JSONParser``: numbers keep their text's value as a `Double`.
indirect enum JSON: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case let .number(value): return value.rounded() == value ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// A strict JSON parser (RFC 8259): one value, no trailing text, no duplicate keys.
struct JSONParser {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let bytes: [UInt8]
    private var index = 0

    static func parse(_ text: String) throws -> JSON {
        var parser = JSONParser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.failure("text after the value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func failure(_ what: String) -> Failure { Failure(description: "invalid JSON at byte \(index): \(what)") }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        let expected = Array(literal.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw failure("expected \(literal)")
        }
        index += expected.count
    }

    private mutating func value() throws -> JSON {
        skipSpace()
        guard index < bytes.count else { throw failure("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            index += 1
            var items: [JSON] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                items.append(try value())
                skipSpace()
                guard index < bytes.count else { throw failure("unterminated array") }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                try expect(",")
            }
        case UInt8(ascii: "{"):
            index += 1
            var fields: [String: JSON] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try string()
                guard fields[key] == nil else { throw failure("duplicate key \"\(key)\"") }
                skipSpace()
                try expect(":")
                fields[key] = try value()
                skipSpace()
                guard index < bytes.count else { throw failure("unterminated object") }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
                try expect(",")
            }
        default:
            return .number(try number())
        }
    }

    private mutating func string() throws -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(scalars) + String(decoding: run, as: UTF8.self)
            }
            guard byte >= 0x20 else { throw failure("control character in a string") }
            if byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run = []
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count, let code = UInt32(String(decoding: bytes[(index + 1)...(index + 4)], as: UTF8.self), radix: 16)
                    else { throw failure("bad \\u escape") }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    index += 4
                default: throw failure("bad escape")
                }
                index += 1
            } else {
                run.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func number() throws -> Double {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        // JSON's grammar: an optional minus, no leading zeros, digits after a dot and an exponent.
        let pattern = #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#
        guard text.range(of: pattern, options: .regularExpression) != nil, let value = Double(text) else {
            throw failure("bad number '\(text)'")
        }
        return value
    }
}

/// Validates JSON values against the subset of JSON Schema (draft 2020-12) that
/// `Documentation/ssim-output.schema.json` uses: `type`, `enum`, `const`, `required`,
/// `properties`, `items`, `minItems`, `maxItems`, `minimum`, `oneOf` and `$ref` to `#/$defs/...`
/// (annotations such as `description` are ignored). Any other keyword is an error, so the schema
/// cannot use one this validator would silently skip.
///
/// `strict` also reports object keys that a schema with `properties` does not declare: the tests
/// use it so that every key the command prints is documented (the schema itself allows more,
/// for later versions).
struct JSONSchemaValidator {
    let root: JSON
    var strict = true

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
    static let keywords: Set<String> = [
        "type", "enum", "const", "required", "properties", "items", "minItems", "maxItems", "minimum", "oneOf", "$ref",
    ]

    init(schema text: String, strict: Bool = true) throws {
        root = try JSONParser.parse(text)
        self.strict = strict
    }

    /// The errors of `instance`, each with its JSON path; empty when it is valid.
    func errors(_ instance: JSON) -> [String] { check(instance, root, "$") }

    private func check(_ value: JSON, _ schema: JSON, _ path: String) -> [String] {
        guard case let .object(keywords) = schema else { return ["\(path): the schema is not an object"] }
        var errors: [String] = []
        for key in keywords.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            errors.append("\(path): the validator does not implement the keyword '\(key)'")
        }
        if case let .string(reference)? = keywords["$ref"] {
            if let target = resolve(reference) {
                errors += check(value, target, path)
            } else {
                errors.append("\(path): unresolved $ref '\(reference)'")
            }
        }
        if let type = keywords["type"] {
            let allowed: [String]
            switch type {
            case let .string(name): allowed = [name]
            case let .array(names): allowed = names.compactMap { if case let .string(n) = $0 { return n } else { return nil } }
            default: allowed = []
            }
            let actual = value.typeName
            let matches = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !matches { errors.append("\(path): a \(actual), expected \(allowed.joined(separator: " or "))") }
        }
        if case let .array(options)? = keywords["enum"], !options.contains(value) {
            errors.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = keywords["const"], constant != value {
            errors.append("\(path): \(value) is not \(constant)")
        }
        if case let .number(minimum)? = keywords["minimum"], case let .number(number) = value, number < minimum {
            errors.append("\(path): \(number) is below the minimum \(minimum)")
        }
        if case let .object(fields) = value {
            if case let .array(required)? = keywords["required"] {
                for case let .string(key) in required where fields[key] == nil {
                    errors.append("\(path): the required key '\(key)' is missing")
                }
            }
            if case let .object(properties)? = keywords["properties"] {
                for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                    if let property = properties[key] {
                        errors += check(field, property, "\(path).\(key)")
                    } else if strict {
                        errors.append("\(path): the key '\(key)' is not in the schema")
                    }
                }
            }
        }
        if case let .array(items) = value {
            if case let .number(count)? = keywords["minItems"], Double(items.count) < count {
                errors.append("\(path): \(items.count) items, fewer than \(Int(count))")
            }
            if case let .number(count)? = keywords["maxItems"], Double(items.count) > count {
                errors.append("\(path): \(items.count) items, more than \(Int(count))")
            }
            if let itemSchema = keywords["items"] {
                for (index, item) in items.enumerated() { errors += check(item, itemSchema, "\(path)[\(index)]") }
            }
        }
        if case let .array(branches)? = keywords["oneOf"] {
            let results = branches.map { check(value, $0, path) }
            let valid = results.filter(\.isEmpty).count
            if valid != 1 {
                let detail = results.enumerated().map { "branch \($0.offset): \($0.element.prefix(3).joined(separator: "; "))" }
                errors.append("\(path): matches \(valid) of the \(branches.count) oneOf branches, not 1 (\(detail.joined(separator: " | ")))")
            }
        }
        return errors
    }

    /// The schema at `#/$defs/NAME` (the only references the subset allows).
    private func resolve(_ reference: String) -> JSON? {
        let prefix = "#/$defs/"
        guard reference.hasPrefix(prefix), case let .object(top) = root, case let .object(definitions)? = top["$defs"] else {
            return nil
        }
        return definitions[String(reference.dropFirst(prefix.count))]
    }
}

/// The committed schema of `ssim --json`, and the check every CLI test's JSON output goes through.
enum OutputSchema {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Documentation/ssim-output.schema.json").standardized.path

    static let validator: JSONSchemaValidator = {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "{\"type\": \"null\"}"
        return (try? JSONSchemaValidator(schema: text)) ?? (try! JSONSchemaValidator(schema: "{\"type\": \"null\"}"))
    }()

    /// The errors of every line of `output`, prefixed by the line's number.
    static func errors(inLines output: String) -> [String] {
        output.split(separator: "\n").enumerated().flatMap { number, line -> [String] in
            do {
                return validator.errors(try JSONParser.parse(String(line))).map { "line \(number + 1): \($0)" }
            } catch {
                return ["line \(number + 1): \(error)"]
            }
        }
    }
}
