import CInterruptCleanup  // (the C library's calls go through Platform.swift's System)

/// Writes output files atomically, and never over an input.
///
/// The bytes go to a new temporary file in the destination's directory, which is then renamed
/// over the destination: readers see the old file or the whole new one, never a partial file,
/// and nothing is left behind when writing fails. A program that calls
/// ``removeTemporaryFilesOnInterrupt()`` also leaves nothing behind when it is interrupted
/// (SIGINT, SIGTERM, SIGHUP, SIGQUIT) in the middle of a write.
///
/// ```swift
/// try OutputFile.write(pngBytes, to: "heat.png", inputs: ["a.png", "b.png"])
/// ```
public enum OutputFile {
    /// Writes `bytes` to `path` through a temporary file and a rename.
    ///
    /// - Parameters:
    ///   - bytes: the file's whole content.
    ///   - path: where it goes; an existing file there is replaced.
    ///   - inputs: paths the caller read; writing to one of them (the same file under any name,
    ///     hard link or symbolic link) is refused.
    /// - Throws: ``FormatError/outputIsInput(path:)`` or ``FormatError/outputNotWritable(path:reason:)``.
    public static func write(_ bytes: [UInt8], to path: String, inputs: [String] = []) throws {
        try bytes.withUnsafeBytes { try write(parts: [$0], to: path, inputs: inputs) }
    }

    /// Writes the concatenation of `parts` (a header and the memory of an array, say, without
    /// copying them into one buffer first), as ``write(_:to:inputs:)`` writes its bytes.
    static func write(parts: [UnsafeRawBufferPointer], to path: String, inputs: [String]) throws {
        try checkNotAnInput(path, inputs: inputs)
        let (descriptor, temporary, slot) = try createTemporaryFile(beside: path)
        defer { icu_unregister(slot) }
        var failure: String?
        if let problem = parts.lazy.compactMap({ writeAll($0, to: descriptor) }).first {
            failure = problem
        } else if System.sync(descriptor) != 0 {
            failure = systemMessage(System.lastError)
        }
        if System.close(descriptor) != 0, failure == nil { failure = systemMessage(System.lastError) }
        if failure == nil { failure = System.replace(path, with: temporary) }
        if let failure {
            System.remove(temporary)
            throw FormatError.outputNotWritable(path: path, reason: failure)
        }
    }

    /// Makes SIGINT, SIGTERM, SIGHUP and SIGQUIT remove the temporary files of the writes in
    /// progress before the process dies of the signal (as it would have without the call).
    ///
    /// For programs, not libraries: it installs process-wide signal handlers (once; signals the
    /// process ignores stay ignored). SIGKILL cannot be caught, and may leave a
    /// `.<name>.<random>.tmp` file, never a partial file under the output's name.
    ///
    /// ```swift
    /// OutputFile.removeTemporaryFilesOnInterrupt()   // first thing in main.swift
    /// ```
    public static func removeTemporaryFilesOnInterrupt() {
        icu_install_handlers()
    }

    /// Throws when `path` names the same file as one of `inputs`; the CLI calls it before doing
    /// any work.
    ///
    /// Two existing paths are the same file when they share device and inode; otherwise the
    /// paths are compared after making them absolute and removing `.` and `..`. (On Windows,
    /// whose `st_ino` is always 0, only the paths are compared, without regard to case: a link
    /// to an input is not noticed there.)
    ///
    /// ```swift
    /// try OutputFile.checkNotAnInput("./a.png", inputs: ["a.png"])   // throws .outputIsInput
    /// ```
    ///
    /// - Throws: ``FormatError/outputIsInput(path:)``.
    public static func checkNotAnInput(_ path: String, inputs: [String]) throws {
        for input in inputs where sameFile(path, input) {
            throw FormatError.outputIsInput(path: path)
        }
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        System.sameExistingFile(a, b) ?? (normalized(a) == normalized(b))
    }

    /// `path` made absolute, without empty, `.` and `..` components.
    static func normalized(_ path: String) -> [Substring] {
        var absolute = path
        if !System.isAbsolute(path), let directory = System.currentDirectory() {
            absolute = directory + "/" + path
        }
        var components: [Substring] = []
        for component in absolute.split(whereSeparator: System.isSeparator) where component != "." {
            if component == ".." { _ = components.popLast() } else { components.append(System.comparable(component)) }
        }
        return components
    }

    /// Opens a new file named `.<name>.<random>.tmp` in the directory of `path`, registered for
    /// removal on interrupt (the slot that ``icu_unregister(_:)`` takes back).
    private static func createTemporaryFile(beside path: String) throws -> (descriptor: Int32, path: String, slot: Int32) {
        let slash = path.lastIndex(where: System.isSeparator)
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else {
            throw FormatError.outputNotWritable(path: path, reason: "the path names a directory, not a file")
        }
        while true {
            let temporary = directory + "." + name + "." + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".tmp"
            // Registered before it exists, so that no moment leaves it unregistered.
            let slot = icu_register(temporary)
            let descriptor = System.createNew(temporary)
            if descriptor >= 0 { return (descriptor, temporary, slot) }
            let openError = System.lastError
            icu_unregister(slot)
            if openError != System.alreadyExists {
                throw FormatError.outputNotWritable(path: path, reason: systemMessage(openError))
            }
        }
    }
}

/// Writes every byte, retrying short writes; returns the error message on failure.
private func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
    var offset = 0
    while offset < buffer.count {
        let written = System.write(descriptor, buffer.baseAddress! + offset, count: buffer.count - offset)
        if written < 0 {
            if System.lastError == System.interrupted { continue }
            return systemMessage(System.lastError)
        }
        offset += written
    }
    return nil
}
