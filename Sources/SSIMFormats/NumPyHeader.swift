/// The header of a `.npy` file: a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
///
/// Layout of the file (NumPy format versions 1.0, 2.0 and 3.0):
///
/// ```
/// "\x93NUMPY" major minor  header-length (UInt16 LE for 1.0, UInt32 LE for 2.0 and 3.0)
/// header (ASCII, padded with spaces and ended by "\n")   data (C order)
/// ```
///
/// ```swift
/// let header = try NumPyHeader(parsing: Array("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }".utf8))
/// print(header.shape)   // [4]
/// ```
struct NumPyHeader: Equatable {
    /// The bytes every `.npy` file starts with.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The dtype string, e.g. `<f4`; for a structured dtype (a list), its text.
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    init(descr: String, fortranOrder: Bool = false, shape: [Int]) {
        (self.descr, self.fortranOrder, self.shape) = (descr, fortranOrder, shape)
    }

    /// Parses the dict literal; the error is the reason it is malformed.
    init(parsing text: [UInt8]) throws(HeaderError) {
        var parser = Parser(text: text)
        var fields: [String: Value] = [:]
        try parser.expect("{")
        while !parser.consume("}") {
            guard case let .string(key) = try parser.value() else { throw HeaderError("a key is not a string") }
            try parser.expect(":")
            fields[key] = try parser.value()
            if !parser.consume(",") {
                try parser.expect("}")
                break
            }
        }
        parser.skipSpace()
        guard parser.index == text.count else { throw HeaderError("unexpected text after the closing brace") }

        switch fields["descr"] {
        case let .string(descr)?: self.descr = descr
        case let .other(text)?: self.descr = text
        default: throw HeaderError("the header has no 'descr' string")
        }
        guard case let .bool(fortranOrder)? = fields["fortran_order"] else {
            throw HeaderError("the header has no 'fortran_order' True or False")
        }
        guard case let .tuple(shape)? = fields["shape"] else { throw HeaderError("the header has no 'shape' tuple") }
        (self.fortranOrder, self.shape) = (fortranOrder, shape)
    }

    /// The complete preamble and header, padded so that the data starts at a multiple of 64
    /// bytes; version 1.0 unless the header needs the 4-byte length of version 2.0.
    func encoded() -> [UInt8] {
        let dict = Array(
            ("{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), "
                + "'shape': \(Self.pythonTuple(shape)), }").utf8)
        // The header length counts the padding and the final newline.
        func headerLength(lengthBytes: Int) -> Int {
            let preamble = Self.magic.count + 2 + lengthBytes
            return (preamble + dict.count + 1 + 63) / 64 * 64 - preamble
        }
        var (major, lengthBytes) = (UInt8(1), 2)
        if headerLength(lengthBytes: 2) > Int(UInt16.max) { (major, lengthBytes) = (2, 4) }
        let length = headerLength(lengthBytes: lengthBytes)
        return Self.magic + [major, 0]
            + (0..<lengthBytes).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
            + dict + Array(repeating: 0x20, count: length - dict.count - 1) + [0x0A]
    }

    /// A shape as Python writes a tuple: `()`, `(3,)`, `(2, 3)`.
    static func pythonTuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    struct HeaderError: Error, Equatable {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private enum Value {
        case string(String), bool(Bool), tuple([Int]), other(String)
    }

    /// A scanner over the subset of Python literals `.npy` headers use.
    private struct Parser {
        let text: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[index]) { index += 1 }
        }

        mutating func consume(_ token: Character) -> Bool {
            skipSpace()
            guard index < text.count, text[index] == token.asciiValue else { return false }
            index += 1
            return true
        }

        mutating func expect(_ token: Character) throws(HeaderError) {
            guard consume(token) else { throw HeaderError("expected '\(token)' at byte \(index) of the header") }
        }

        /// A quoted string, True, False, a tuple of integers, or (for a structured dtype) a
        /// bracketed list kept as text.
        mutating func value() throws(HeaderError) -> Value {
            skipSpace()
            guard index < text.count else { throw HeaderError("the header ends inside the dict") }
            switch text[index] {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                let quote = text[index]
                guard let end = text[(index + 1)...].firstIndex(of: quote) else {
                    throw HeaderError("a string is not closed")
                }
                defer { index = end + 1 }
                return .string(String(decoding: text[(index + 1)..<end], as: UTF8.self))
            case UInt8(ascii: "("):
                index += 1
                var items: [Int] = []
                while !consume(")") {
                    items.append(try integer())
                    if !consume(",") {
                        try expect(")")
                        break
                    }
                }
                return .tuple(items)
            case UInt8(ascii: "["):
                let start = index
                var depth = 0
                repeat {
                    if text[index] == UInt8(ascii: "[") { depth += 1 }
                    if text[index] == UInt8(ascii: "]") { depth -= 1 }
                    index += 1
                } while depth > 0 && index < text.count
                guard depth == 0 else { throw HeaderError("a list is not closed") }
                return .other(String(decoding: text[start..<index], as: UTF8.self))
            default:
                for (word, value) in [("True", true), ("False", false)] where text[index...].starts(with: word.utf8) {
                    index += word.utf8.count
                    return .bool(value)
                }
                throw HeaderError("unexpected character '\(Character(Unicode.Scalar(text[index])))' at byte \(index)")
            }
        }

        /// A non-negative decimal integer that fits in `Int` (Python may append `L`).
        mutating func integer() throws(HeaderError) -> Int {
            skipSpace()
            var value = 0
            let start = index
            while index < text.count, (0x30...0x39).contains(text[index]) {
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(Int(text[index] - 0x30))
                guard !overflow1, !overflow2 else { throw HeaderError("a shape axis is too large") }
                value = sum
                index += 1
            }
            guard index > start else { throw HeaderError("a shape axis is not a non-negative integer") }
            if index < text.count, text[index] == UInt8(ascii: "L") { index += 1 }
            return value
        }
    }
}
