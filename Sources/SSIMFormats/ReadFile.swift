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
    // Straight into the array, sized by fstat (a zeroed 1 MiB chunk and a copy of every byte were
    // a fifth of a folder of 512 x 512 PNGs' page faults); then on in chunks, if the file grew.
    let size = max(0, status.size)
    var bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in count = try read(descriptor, into: buffer, path) }
    guard bytes.count == size else { return bytes }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while case let count = try chunk.withUnsafeMutableBufferPointer({ try read(descriptor, into: $0, path) }), count > 0 {
        bytes.append(contentsOf: chunk[..<count])
    }
    return bytes
}

/// Reads until `buffer` is full or the file ends, and returns the count read.
private func read(_ descriptor: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, _ path: String) throws -> Int {
    var count = 0
    while count < buffer.count {
        let read = System.read(descriptor, into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[count...])))
        if read > 0 {
            count += read
        } else if read == 0 {
            break
        } else if System.lastError != System.interrupted {
            throw FormatError.unreadableFile(path: path, reason: systemMessage(System.lastError))
        }
    }
    return count
}

/// The C library's description of an `errno` value, such as "Permission denied".
func systemMessage(_ code: Int32) -> String {
    System.message(code)
}
