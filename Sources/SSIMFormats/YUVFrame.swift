/// One frame of a YUV4MPEG2 file: its planes' samples as stored (8-bit bytes, or 16-bit
/// little-endian words), laid out as its ``header`` says.
///
/// ```swift
/// let reader = try YUV4MPEGReader(path: "clip.y4m")
/// if let frame = try reader.nextFrame() {
///     let luma = frame.values(plane: 0)    // Y in [0, 1], row-major
///     print(frame.number, luma.count)      // 1, width * height
/// }
/// ```
public struct YUVFrame: Sendable {
    /// The frame's place in its file, counting from 1.
    public let number: Int
    /// The layout of ``bytes``.
    public let header: YUV4MPEGHeader
    /// The planes, one after the other, ``YUV4MPEGHeader/frameByteCount`` bytes.
    public let bytes: [UInt8]

    /// A frame of `bytes` laid out as `header` says.
    ///
    /// ```swift
    /// let header = try YUV4MPEGHeader(parsing: Array("YUV4MPEG2 W2 H2 C444".utf8))
    /// let frame = try YUVFrame(number: 1, header: header, bytes: [UInt8](repeating: 128, count: 12))
    /// ```
    ///
    /// - Throws: ``FormatError/truncatedYUV4MPEG(path:frame:expectedBytes:actualBytes:)`` when
    ///   `bytes` is not ``YUV4MPEGHeader/frameByteCount`` long.
    public init(number: Int, header: YUV4MPEGHeader, bytes: [UInt8]) throws {
        guard bytes.count == header.frameByteCount else {
            throw FormatError.truncatedYUV4MPEG(
                path: "<memory>", frame: number, expectedBytes: header.frameByteCount, actualBytes: bytes.count)
        }
        self.number = number
        self.header = header
        self.bytes = bytes
    }

    /// Calls `body` with the raw samples of plane `plane` (0 Y, 1 U, 2 V).
    ///
    /// ```swift
    /// let first = frame.withPlane(0) { $0[0] }   // the first byte of Y
    /// ```
    public func withPlane<Result>(_ plane: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let layout = header.planes[plane]
        return try bytes.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[layout.byteOffset..<layout.byteOffset + layout.byteCount]))
        }
    }

    /// The samples of plane `plane` divided by ``YUV4MPEGHeader/maximumValue`` (so [0, 1] for
    /// samples within the bit depth, as PNG samples are divided by 255), row-major.
    ///
    /// ```swift
    /// let v = frame.values(plane: 2)
    /// ```
    @inlinable  // specialised in the caller: a generic conversion per sample costs 100 times more
    public func values<Scalar: BinaryFloatingPoint>(plane: Int, as _: Scalar.Type = Float.self) -> [Scalar] {
        let layout = header.planes[plane], wide = header.bytesPerSample == 2
        let count = layout.width * layout.height, start = layout.byteOffset, maximum = Scalar(header.maximumValue)
        return bytes.withUnsafeBufferPointer { all in
            [Scalar](unsafeUninitializedCapacity: count) { out, initialized in
                for i in 0..<count {
                    let sample = wide ? Int(all[start + 2 * i]) | Int(all[start + 2 * i + 1]) << 8 : Int(all[start + i])
                    out[i] = Scalar(sample) / maximum
                }
                initialized = count
            }
        }
    }
}
