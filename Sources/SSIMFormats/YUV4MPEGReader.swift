// (The C library's calls go through Platform.swift's System.)

/// Reads a YUV4MPEG2 (`.y4m`) file frame by frame: the header when opened, then one frame per
/// ``nextFrame(reusing:)``, so that memory does not grow with the number of frames.
///
/// 4:2:0, 4:2:2, 4:4:4 and mono, 8 to 16 bits (see ``YUV4MPEGHeader``). No input makes it
/// trap or allocate more than the header's frame size, and when the input's size is known (a
/// regular file, bytes in memory) no frame is allocated that the input cannot fill.
///
/// ```swift
/// let reader = try YUV4MPEGReader(path: "clip.y4m")
/// print(reader.header.summary)                   // 4:2:0 8-bit 1920 x 1080
/// while let frame = try reader.nextFrame() { print(frame.number) }
/// ```
public final class YUV4MPEGReader {
    /// The stream header.
    public let header: YUV4MPEGHeader
    /// How messages name the input (its path).
    public let name: String
    /// The longest header or `FRAME` line read, in bytes.
    public static let maximumLineLength = 4096
    private let input: ByteInput
    private var framesRead = 0

    /// Opens `path` and reads its header.
    ///
    /// - Throws: ``FormatError/fileNotFound(path:)``, ``FormatError/unreadableFile(path:reason:)``
    ///   and the errors of ``init(bytes:name:)``.
    public convenience init(path: String) throws {
        try self.init(input: try ByteInput(path: path), name: path)
    }

    /// Reads the header of a file's bytes already in memory; ``nextFrame(reusing:)`` then reads its frames.
    ///
    /// ```swift
    /// let frames = try YUV4MPEGReader(bytes: Array("YUV4MPEG2 W2 H2 C444\nFRAME\n".utf8) + .init(repeating: 0, count: 12))
    /// ```
    ///
    /// - Throws: ``FormatError/corruptYUV4MPEG(path:reason:)`` and the errors of
    ///   ``YUV4MPEGHeader/init(parsing:name:)``.
    public convenience init(bytes: [UInt8], name: String = "<memory>") throws {
        try self.init(input: ByteInput(bytes: bytes), name: name)
    }

    private init(input: ByteInput, name: String) throws {
        self.input = input
        self.name = name
        guard let line = try input.line(limit: Self.maximumLineLength, name: name) else {
            throw FormatError.corruptYUV4MPEG(path: name, reason: "it is empty")
        }
        guard line.complete else {
            throw FormatError.corruptYUV4MPEG(
                path: name,
                reason: line.bytes.starts(with: YUV4MPEGHeader.magic)
                    ? "its header line does not end with a newline within \(Self.maximumLineLength) bytes"
                    : "it does not start with the magic string YUV4MPEG2")
        }
        header = try YUV4MPEGHeader(parsing: line.bytes, name: name)
    }

    /// The next frame, or `nil` after the last one. `reusing` may pass the bytes of a frame no
    /// longer needed (``YUVFrame/bytes``, the frame itself released): when of the right size and
    /// not shared, the new frame is read into them, which saves allocating and faulting in fresh
    /// memory for every frame.
    ///
    /// ```swift
    /// let first = try reader.nextFrame()
    /// var storage = first?.bytes
    /// let second = try reader.nextFrame(reusing: storage.take())
    /// ```
    ///
    /// - Throws: ``FormatError/corruptYUV4MPEG(path:reason:)`` for a frame line other than
    ///   `FRAME` and its parameters, ``FormatError/truncatedYUV4MPEG(path:frame:expectedBytes:actualBytes:)``
    ///   for a file that ends inside a frame, ``FormatError/unreadableFile(path:reason:)``.
    public func nextFrame(reusing storage: [UInt8]? = nil) throws -> YUVFrame? {
        let number = framesRead + 1
        guard let line = try input.line(limit: Self.maximumLineLength, name: name) else { return nil }
        let marker = Array("FRAME".utf8)
        guard line.bytes.starts(with: marker), line.bytes.count == marker.count || line.bytes[marker.count] == 0x20 else {
            throw FormatError.corruptYUV4MPEG(
                path: name, reason: "frame \(number) does not start with FRAME (after \(framesRead) whole frames)")
        }
        guard line.complete else {
            throw FormatError.corruptYUV4MPEG(
                path: name, reason: "the FRAME line of frame \(number) does not end with a newline within \(Self.maximumLineLength) bytes")
        }
        let expected = header.frameByteCount
        if let remaining = input.remaining, remaining < expected {
            throw FormatError.truncatedYUV4MPEG(path: name, frame: number, expectedBytes: expected, actualBytes: remaining)
        }
        let bytes = try input.bytes(expected, name: name, reusing: storage)
        guard bytes.count == expected else {
            throw FormatError.truncatedYUV4MPEG(path: name, frame: number, expectedBytes: expected, actualBytes: bytes.count)
        }
        framesRead = number
        return try YUVFrame(number: number, header: header, bytes: bytes)
    }
}

/// A file descriptor or bytes in memory, read through a buffer: lines, then runs of bytes.
private final class ByteInput {
    private var descriptor: Int32 = -1
    private var buffer: [UInt8]
    private var start = 0
    private var end: Int
    /// The bytes not read yet, when the size is known (a regular file, bytes in memory).
    private(set) var remaining: Int?
    private let path: String

    init(bytes: [UInt8]) {
        buffer = bytes
        end = bytes.count
        remaining = bytes.count
        path = "<memory>"
    }

    init(path: String) throws {
        self.path = path
        descriptor = System.openForReading(path)
        guard descriptor >= 0 else {
            let code = System.lastError
            if code == System.notFound || code == System.notADirectory || path.isEmpty { throw FormatError.fileNotFound(path: path) }
            throw FormatError.unreadableFile(path: path, reason: systemMessage(code))
        }
        guard let status = System.status(descriptor) else {
            let reason = systemMessage(System.lastError)
            System.close(descriptor)
            throw FormatError.unreadableFile(path: path, reason: reason)
        }
        guard !status.isDirectory else {
            System.close(descriptor)
            throw FormatError.unreadableFile(path: path, reason: "it is a directory")
        }
        // st_size of a pipe or terminal is 0 and says nothing; of a regular file, its length.
        remaining = status.size > 0 ? status.size : nil
        buffer = [UInt8](repeating: 0, count: 1 << 16)
        end = 0
    }

    deinit { if descriptor >= 0 { System.close(descriptor) } }

    /// Refills the buffer when empty: false at the end of the input.
    private func fill() throws -> Bool {
        if start < end { return true }
        guard descriptor >= 0 else { return false }
        start = 0
        end = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { System.read(descriptor, into: $0) }
            if count >= 0 {
                end = count
                return count > 0
            }
            if System.lastError != System.interrupted {
                throw FormatError.unreadableFile(path: path, reason: systemMessage(System.lastError))
            }
        }
    }

    private func consumed(_ count: Int) {
        start += count
        if let left = remaining { remaining = max(0, left - count) }
    }

    /// The bytes up to the next `\n` (not included) and whether it was found within `limit`
    /// bytes before the end; nil at the end of the input.
    func line(limit: Int, name: String) throws -> (bytes: [UInt8], complete: Bool)? {
        var line: [UInt8] = []
        while try fill() {
            if let newline = buffer[start..<end].firstIndex(of: 0x0A), newline - start + line.count <= limit {
                line += buffer[start..<newline]
                consumed(newline + 1 - start)
                return (line, true)
            }
            let take = min(end - start, limit + 1 - line.count)
            line += buffer[start..<start + take]
            consumed(take)
            if line.count > limit { return (line, false) }
        }
        return line.isEmpty ? nil : (line, false)
    }

    /// Up to `count` bytes: fewer only at the end of the input. What the buffer holds is copied,
    /// the rest read straight into the result (into `storage` when it has `count` bytes).
    func bytes(_ count: Int, name: String, reusing storage: [UInt8]? = nil) throws -> [UInt8] {
        let buffered = min(end - start, count)
        var failure: Int32?
        /// Fills `target` from the buffer, then the descriptor: the count filled.
        func fill(_ target: UnsafeMutableRawBufferPointer) -> Int {
            buffer.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<start + buffered])) }
            var filled = buffered
            while filled < count, descriptor >= 0 {
                let read = System.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: target[filled..<count]))
                if read > 0 {
                    filled += read
                } else if read == 0 {
                    break
                } else if System.lastError != System.interrupted {
                    failure = System.lastError
                    break
                }
            }
            return filled
        }
        var out: [UInt8]
        if var reused = storage, reused.count == count {
            let filled = reused.withUnsafeMutableBytes { fill($0) }
            if filled < count { reused.removeLast(count - filled) }
            out = reused
        } else {
            out = [UInt8](unsafeUninitializedCapacity: count) { memory, initialized in initialized = fill(UnsafeMutableRawBufferPointer(memory)) }
        }
        start += buffered
        if let left = remaining { remaining = max(0, left - out.count) }
        if let failure { throw FormatError.unreadableFile(path: path, reason: systemMessage(failure)) }
        return out
    }
}
