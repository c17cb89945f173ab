// The one file of SSIMFormats that imports the C library: log10 and the file-system calls that
// OutputFile.swift and ReadFile.swift make through it. Not `@_exported`: a library must not
// re-export the C library to its clients.
//
// Glibc: Linux with glibc; Musl: the static Linux SDK; Darwin: macOS and iOS; Android: Bionic
// (Swift 6's Android SDK); ucrt: Windows. Only the Glibc branch is compiled on the CI machine
// (Linux x86-64). The POSIX branch is the same source for all but Windows; the Windows branches
// (`#if os(Windows)`) have never been compiled: no Swift for Windows was at hand. They do less:
// see `System.sameExistingFile(_:_:)` and `System.replace(_:with:)`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Android)
import Android
#elseif canImport(ucrt)
import ucrt
import WinSDK
#else
#error("SSIMFormats: no C library module (Glibc, Musl, Darwin, Android or ucrt) for this platform")
#endif

/// `log10(x)`, the C library's (PSNR in decibels).
func decimalLogarithm(_ x: Double) -> Double { log10(x) }

/// File descriptors, errno values and paths, the same on every platform.
enum System {
    static var lastError: Int32 { errno }
    static let interrupted = EINTR, alreadyExists = EEXIST, notFound = ENOENT, notADirectory = ENOTDIR

    /// The C library's description of an `errno` value, such as "Permission denied".
    static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Opens an existing file for reading, not inherited by child processes: the descriptor,
    /// or -1 with `lastError` set.
    static func openForReading(_ path: String) -> Int32 {
        #if os(Windows)
        var descriptor: Int32 = -1
        return _sopen_s(&descriptor, path, _O_RDONLY | _O_BINARY | _O_NOINHERIT, _SH_DENYNO, 0) == 0 ? descriptor : -1
        #else
        return open(path, O_RDONLY | O_CLOEXEC)
        #endif
    }

    /// Creates `path`, which must not exist yet, for writing (mode 0666 less the umask).
    static func createNew(_ path: String) -> Int32 {
        #if os(Windows)
        var descriptor: Int32 = -1
        let flags = _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY | _O_NOINHERIT
        return _sopen_s(&descriptor, path, flags, _SH_DENYNO, _S_IREAD | _S_IWRITE) == 0 ? descriptor : -1
        #else
        return open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        #endif
    }

    /// Up to `buffer.count` bytes: the count read, 0 at the end, negative with `lastError` set.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        #if os(Windows)
        return Int(_read(descriptor, buffer.baseAddress, UInt32(min(buffer.count, Int(Int32.max)))))
        #else
        return posixRead(descriptor, buffer.baseAddress, buffer.count)
        #endif
    }

    /// Writes up to `count` bytes: the count written, negative with `lastError` set.
    static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, count: Int) -> Int {
        #if os(Windows)
        return Int(_write(descriptor, bytes, UInt32(min(count, Int(Int32.max)))))
        #else
        return posixWrite(descriptor, bytes, count)
        #endif
    }

    @discardableResult
    static func close(_ descriptor: Int32) -> Int32 {
        #if os(Windows)
        return _close(descriptor)
        #else
        return posixClose(descriptor)
        #endif
    }

    /// Flushes the file to the disk (0, or -1 with `lastError` set).
    static func sync(_ descriptor: Int32) -> Int32 {
        #if os(Windows)
        return _commit(descriptor)
        #else
        return fsync(descriptor)
        #endif
    }

    /// Renames `temporary` to `path`, replacing an existing file there: nil, or the reason of
    /// the failure. (On Windows `rename` refuses an existing destination, hence MoveFileExA.)
    static func replace(_ path: String, with temporary: String) -> String? {
        #if os(Windows)
        if MoveFileExA(temporary, path, DWORD(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) { return nil }
        return "Windows error \(GetLastError())"
        #else
        return rename(temporary, path) == 0 ? nil : message(errno)
        #endif
    }

    static func remove(_ path: String) {
        #if os(Windows)
        _ = _unlink(path)
        #else
        _ = unlink(path)
        #endif
    }

    /// Whether the open file is a directory, and its size in bytes; nil with `lastError` set.
    static func status(_ descriptor: Int32) -> (isDirectory: Bool, size: Int)? {
        #if os(Windows)
        var status = _stat64()
        guard _fstat64(descriptor, &status) == 0 else { return nil }
        return (Int32(status.st_mode) & _S_IFMT == _S_IFDIR, Int(status.st_size))
        #else
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return (status.st_mode & S_IFMT == S_IFDIR, Int(status.st_size))
        #endif
    }

    /// Whether two existing paths are the same file (device and inode, so hard and symbolic
    /// links count); nil when either does not exist. Always nil on Windows, whose `st_ino` is
    /// 0 for every file: there only the paths are compared (links to an input go unnoticed).
    static func sameExistingFile(_ a: String, _ b: String) -> Bool? {
        #if os(Windows)
        return nil
        #else
        var statusA = stat(), statusB = stat()
        guard stat(a, &statusA) == 0, stat(b, &statusB) == 0 else { return nil }
        return statusA.st_dev == statusB.st_dev && statusA.st_ino == statusB.st_ino
        #endif
    }

    /// The working directory, or nil.
    static func currentDirectory() -> String? {
        #if os(Windows)
        guard let directory = _getcwd(nil, 0) else { return nil }
        #else
        guard let directory = getcwd(nil, 0) else { return nil }
        #endif
        defer { free(directory) }
        return String(cString: directory)
    }

    #if os(Windows)
    /// Windows takes `\` and `/`; file names are case-insensitive (NTFS's default).
    static func isSeparator(_ character: Character) -> Bool { character == "/" || character == "\\" }
    static func isAbsolute(_ path: String) -> Bool {
        let characters = Array(path.prefix(3))
        return characters.first.map(isSeparator) == true
            || (characters.count >= 2 && characters[0].isLetter && characters[1] == ":")
    }
    static func comparable(_ component: Substring) -> Substring { Substring(component.lowercased()) }
    #else
    static func isSeparator(_ character: Character) -> Bool { character == "/" }
    static func isAbsolute(_ path: String) -> Bool { path.hasPrefix("/") }
    static func comparable(_ component: Substring) -> Substring { component }
    #endif
}

#if !os(Windows)
// The C functions under names that System's own `read`, `write` and `close` do not shadow.
@inline(__always)
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
@inline(__always)
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
@inline(__always)
private func posixClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
#endif
