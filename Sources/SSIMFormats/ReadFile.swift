#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of the file at `path`, every failure turned into a ``FormatError``.
///
/// ```swift
/// let bytes = try readFile("a.png")
/// ```
///
/// - Throws: ``FormatError/fileNotFound(path:)`` or ``FormatError/unreadableFile(path:reason:)``.
func readFile(_ path: String) throws -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        let code = errno
        if code == ENOENT || code == ENOTDIR || path.isEmpty { throw FormatError.fileNotFound(path: path) }
        throw FormatError.unreadableFile(path: path, reason: systemMessage(code))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
        throw FormatError.unreadableFile(path: path, reason: systemMessage(errno))
    }
    guard status.st_mode & S_IFMT != S_IFDIR else {
        throw FormatError.unreadableFile(path: path, reason: "it is a directory")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(max(0, Int(status.st_size)))
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            bytes.append(contentsOf: chunk[..<count])
        } else if count == 0 {
            return bytes
        } else if errno != EINTR {
            throw FormatError.unreadableFile(path: path, reason: systemMessage(errno))
        }
    }
}

/// The C library's description of an `errno` value, such as "Permission denied".
func systemMessage(_ code: Int32) -> String {
    String(cString: strerror(code))
}
