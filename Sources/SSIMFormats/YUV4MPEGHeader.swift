/// The stream header of a YUV4MPEG2 (`.y4m`) file: the picture size, the chroma layout and the
/// bit depth, and where each plane lies in a frame.
///
/// ```
/// YUV4MPEG2 W1920 H1080 F25:1 Ip A1:1 C420jpeg\n      the header: one line of tokens
/// FRAME\n  Y plane  U plane  V plane                  then each frame: a line, its planes
/// ```
///
/// `W` and `H` are required; `C` defaults to 4:2:0 8-bit, as in FFmpeg. Other tokens (`F`,
/// `I`, `A`, `X...`) are kept in ``tokens`` and do not change how frames are read. Samples of
/// more than 8 bits are 16-bit little-endian words.
///
/// ```swift
/// let header = try YUV4MPEGHeader(parsing: Array("YUV4MPEG2 W64 H48 C422p10".utf8))
/// header.planes[1].width    // 32
/// header.frameByteCount     // 64 * 48 * 2 * 2 = 12288
/// ```
public struct YUV4MPEGHeader: Equatable, Sendable {
    /// How the chroma planes are subsampled.
    public enum Chroma: String, Sendable, CaseIterable {
        /// Half width, half height (`C420jpeg`, `C420mpeg2`, `C420paldv`, `C420`, `C420p10`...).
        case yuv420 = "4:2:0"
        /// Half width, full height (`C422`, `C422p10`...).
        case yuv422 = "4:2:2"
        /// Full resolution (`C444`, `C444p10`...).
        case yuv444 = "4:4:4"
        /// Luma only (`Cmono`, `Cmono10`...).
        case mono = "mono"
    }

    /// The size and place of one plane in a frame's bytes.
    public struct Plane: Equatable, Sendable {
        public var width: Int
        public var height: Int
        /// Where the plane starts in the frame's bytes.
        public var byteOffset: Int
        /// `width * height * bytesPerSample`.
        public var byteCount: Int
    }

    /// The start of every YUV4MPEG2 file.
    public static let magic = Array("YUV4MPEG2".utf8)
    /// The largest picture read, in luma pixels (as ``ImageFile/defaultMaximumPixelCount``).
    public static let maximumPixelCount = 100_000_000

    public var width: Int
    public var height: Int
    public var chroma: Chroma
    /// Bits per sample: 8 to 16.
    public var bitDepth: Int
    /// The header's tokens as written, `W` and `H` included (e.g. `["W64", "H48", "F25:1"]`).
    public var tokens: [String]

    /// The largest sample value, `2^bitDepth - 1`.
    public var maximumValue: Int { (1 << bitDepth) - 1 }
    /// 1 for 8-bit samples, 2 (little-endian) for more.
    public var bytesPerSample: Int { bitDepth > 8 ? 2 : 1 }
    /// Y, then U and V (none for mono), with chroma sizes rounded up as FFmpeg does.
    public var planes: [Plane] {
        let (chromaWidth, chromaHeight): (Int, Int)
        switch chroma {
        case .yuv420: (chromaWidth, chromaHeight) = ((width + 1) / 2, (height + 1) / 2)
        case .yuv422: (chromaWidth, chromaHeight) = ((width + 1) / 2, height)
        case .yuv444, .mono: (chromaWidth, chromaHeight) = (width, height)
        }
        let sizes = chroma == .mono ? [(width, height)] : [(width, height), (chromaWidth, chromaHeight), (chromaWidth, chromaHeight)]
        var offset = 0
        return sizes.map { size in
            let plane = Plane(width: size.0, height: size.1, byteOffset: offset, byteCount: size.0 * size.1 * bytesPerSample)
            offset += plane.byteCount
            return plane
        }
    }
    /// The bytes of one frame's planes (the `FRAME` line not included).
    public var frameByteCount: Int { planes.reduce(0) { $0 + $1.byteCount } }
    /// `4:2:0 8-bit 64 x 48`, as messages name the layout.
    public var summary: String { "\(chroma.rawValue) \(bitDepth)-bit \(width) x \(height)" }

    /// Parses the header line without its `\n`, magic included.
    ///
    /// ```swift
    /// let header = try YUV4MPEGHeader(parsing: Array("YUV4MPEG2 W8 H8".utf8))   // 4:2:0 8-bit
    /// ```
    ///
    /// - Throws: ``FormatError/corruptYUV4MPEG(path:reason:)`` for a missing or malformed
    ///   token, ``FormatError/unsupportedYUV4MPEG(path:reason:)`` for a chroma layout other than
    ///   4:2:0, 4:2:2, 4:4:4 and mono, ``FormatError/imageTooLarge(path:width:height:limit:)``.
    public init(parsing line: [UInt8], name: String = "<memory>") throws {
        func corrupt(_ reason: String) -> FormatError { .corruptYUV4MPEG(path: name, reason: reason) }
        guard line.starts(with: Self.magic) else { throw corrupt("it does not start with the magic string YUV4MPEG2") }
        let rest = line[Self.magic.count...]
        guard rest.first == nil || rest.first == 0x20 else { throw corrupt("the magic string YUV4MPEG2 is not followed by a space") }
        let words = rest.split(separator: 0x20)
        var width: Int?, height: Int?, chroma = Chroma.yuv420, bitDepth = 8
        tokens = []
        for word in words {
            guard word.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw corrupt("its header holds bytes that are not printable ASCII")
            }
            let token = String(decoding: word, as: UTF8.self)
            tokens.append(token)
            let value = token.dropFirst()
            switch token.first {
            case "W": width = try Self.dimension(value, "W", corrupt)
            case "H": height = try Self.dimension(value, "H", corrupt)
            case "C": (chroma, bitDepth) = try Self.colourSpace(String(value), name: name)
            default: break  // F (rate), I (interlacing), A (aspect), X (extensions): not needed to read frames
            }
        }
        guard let width, let height else { throw corrupt("its header has no W (width) or no H (height) token") }
        // (At most 9 digits each: the product cannot overflow.)
        guard width * height <= Self.maximumPixelCount else {
            throw FormatError.imageTooLarge(path: name, width: width, height: height, limit: Self.maximumPixelCount)
        }
        self.width = width
        self.height = height
        self.chroma = chroma
        self.bitDepth = bitDepth
    }

    /// A `W` or `H` value: a positive decimal number of at most 9 digits.
    private static func dimension(_ text: Substring, _ key: String, _ corrupt: (String) -> FormatError) throws -> Int {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy(\.isASCII), let value = Int(text), value > 0 else {
            throw corrupt("its \(key) token '\(key)\(text)' is not a positive whole number")
        }
        return value
    }

    /// The chroma layout and bit depth of a `C` token's value (`420jpeg`, `422p10`, `mono`...).
    private static func colourSpace(_ text: String, name: String) throws -> (Chroma, Int) {
        switch text {
        case "420jpeg", "420paldv", "420mpeg2", "420": return (.yuv420, 8)
        case "422": return (.yuv422, 8)
        case "444": return (.yuv444, 8)
        case "mono": return (.mono, 8)
        default: break
        }
        let layouts: [(String, Chroma)] = [("420p", .yuv420), ("422p", .yuv422), ("444p", .yuv444), ("mono", .mono)]
        for (prefix, chroma) in layouts where text.hasPrefix(prefix) {
            if let depth = Int(text.dropFirst(prefix.count)), (9...16).contains(depth), text.count <= prefix.count + 2 {
                return (chroma, depth)
            }
        }
        throw FormatError.unsupportedYUV4MPEG(
            path: name,
            reason: "its colour space 'C\(text)' is not one of C420jpeg, C420mpeg2, C420paldv, C422, C444, Cmono "
                + "and their 9- to 16-bit forms such as C420p10")
    }
}
