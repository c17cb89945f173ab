// (The C library's calls go through Platform.swift's System.)

/// The bytes of the file at `path`, every failure turned into a ``FormatError``.
///
/// ```swift
/// let bytes = try readFile("a.png")
/// ```
///
/// - Throws: ``FormatError/fileNotFound(path:)`` or ``FormatError/unreadableFile(path:reason:)``.
func readFile(_ path: String) throws -> [UInt8] {
    let descriptor = System.openForReading(path)
    guard descriptor >= 0 else {
        let code = System.lastError
        if code == System.notFound || code == System.notADirectory || path.isEmpty { throw FormatError.fileNotFound(path: path) }
        throw FormatError.unreadableFile(path: path, reason: systemMessage(code))
    }
    defer { System.close(descriptor) }
    guard let status = System.status(descriptor) else {
        throw FormatError.unreadableFile(path: path, reason: systemMessage(System.lastError))
    }
    guard !status.isDirectory else {
        throw FormatError.unreadableFile(path: path, reason: "it is a directory")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(max(0, status.size))
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = chunk.withUnsafeMutableBytes { System.read(descriptor, into: $0) }
        if count > 0 {
            bytes.append(contentsOf: chunk[..<count])
        } else if count == 0 {
            return bytes
        } else if System.lastError != System.interrupted {
            throw FormatError.unreadableFile(path: path, reason: systemMessage(System.lastError))
        }
    }
}

/// The C library's description of an `errno` value, such as "Permission denied".
func systemMessage(_ code: Int32) -> String {
    System.message(code)
}
