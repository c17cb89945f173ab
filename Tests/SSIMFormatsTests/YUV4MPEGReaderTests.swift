import Foundation
import Testing
import StructuralSimilarity
@testable import SSIMFormats

/// The YUV4MPEG2 header, frames and every way a file can be wrong.
@Suite struct YUV4MPEGReaderTests {
    static func file(_ header: String, frames: [[UInt8]], frameLine: String = "FRAME") -> [UInt8] {
        frames.reduce(Array((header + "\n").utf8)) { $0 + Array((frameLine + "\n").utf8) + $1 }
    }

    @Test(arguments: [
        ("YUV4MPEG2 W5 H3 F25:1 Ip A1:1 C420jpeg", YUV4MPEGHeader.Chroma.yuv420, 8, [[5, 3], [3, 2], [3, 2]]),
        ("YUV4MPEG2 W5 H3", .yuv420, 8, [[5, 3], [3, 2], [3, 2]]),
        ("YUV4MPEG2 C422p10 H3 W5 XYSCSS=422P10", .yuv422, 10, [[5, 3], [3, 3], [3, 3]]),
        ("YUV4MPEG2 W5 H3 C444p16", .yuv444, 16, [[5, 3], [5, 3], [5, 3]]),
        ("YUV4MPEG2 W5 H3 Cmono", .mono, 8, [[5, 3]]), ("YUV4MPEG2 W5 H3 Cmono12", .mono, 12, [[5, 3]]),
    ])
    func parsesTheHeader(_ text: String, _ chroma: YUV4MPEGHeader.Chroma, _ depth: Int, _ sizes: [[Int]]) throws {
        let header = try YUV4MPEGHeader(parsing: Array(text.utf8))
        #expect(header.width == 5 && header.height == 3 && header.chroma == chroma && header.bitDepth == depth)
        #expect(header.planes.map { [$0.width, $0.height] } == sizes)
        #expect(header.frameByteCount == sizes.reduce(0) { $0 + $1[0] * $1[1] } * (depth > 8 ? 2 : 1))
        #expect(header.tokens.first { $0.hasPrefix("W") } == "W5")
    }

    @Test func readsFramesFromBytesAndFromAFileAlike() throws {
        let frames: [[UInt8]] = [(0..<18).map { UInt8($0) }, (0..<18).map { UInt8(255 - $0) }]
        let bytes = Self.file("YUV4MPEG2 W3 H2 F30:1 C444", frames: frames, frameLine: "FRAME Ixyz")
        let path = NSTemporaryDirectory() + "y4m-\(UUID().uuidString).y4m"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for reader in [try YUV4MPEGReader(bytes: bytes), try YUV4MPEGReader(path: path)] {
            let first = try #require(try reader.nextFrame()), second = try #require(try reader.nextFrame())
            #expect(first.number == 1 && first.bytes == frames[0] && second.number == 2 && second.bytes == frames[1])
            #expect(try reader.nextFrame() == nil)
            #expect(first.values(plane: 1) == (6..<12).map { Float($0) / 255 })
            #expect(second.withPlane(2) { Array($0) } == Array(frames[1][12...]))
        }
    }

    @Test func sixteenBitSamplesAreLittleEndianWordsOverTheirMaximum() throws {
        let bytes = Self.file("YUV4MPEG2 W1 H1 Cmono10", frames: [[0xFF, 0x03], [0x00, 0x02]])
        let reader = try YUV4MPEGReader(bytes: bytes)
        #expect(try reader.nextFrame()?.values(plane: 0, as: Double.self) == [1])
        #expect(try reader.nextFrame()?.values(plane: 0, as: Double.self) == [512.0 / 1023])
    }

    static let corrupt: [(String, String)] = [
        ("", "it is empty"), ("YUV4MPEG W2 H2\n", "magic string YUV4MPEG2"), ("YUV4MPEG2W2 H2\n", "not followed by a space"),
        ("YUV4MPEG2 W2\n", "no W (width) or no H (height)"), ("YUV4MPEG2 W0 H2\n", "'W0' is not a positive whole number"),
        ("YUV4MPEG2 W2 H-2\n", "'H-2'"), ("YUV4MPEG2 W2 H1234567890\n", "'H1234567890'"), ("YUV4MPEG2 W2 H2", "newline"),
        ("YUV4MPEG2 W2 H2 \u{1}\n", "not printable ASCII"), ("YUV4MPEG2 W2 H2 C444\nFRAMES\n", "frame 1 does not start with FRAME"),
        ("YUV4MPEG2 W2 H2 C444\nFRAME", "frame 1 does not end with a newline"),
        ("YUV4MPEG2 W2 H2 C444\n" + String(repeating: "A", count: 5000), "does not start with FRAME"),
    ]

    @Test("A malformed file throws corruptYUV4MPEG with the reason", arguments: corrupt)
    func corruptFiles(_ text: String, _ reason: String) throws {
        do {
            let reader = try YUV4MPEGReader(bytes: Array(text.utf8), name: "x.y4m")
            while try reader.nextFrame() != nil {}
            Issue.record("no error for \(text.debugDescription)")
        } catch let FormatError.corruptYUV4MPEG(path, message) {
            #expect(path == "x.y4m" && message.contains(reason), "\(message)")
        }
    }

    @Test func unsupportedLayoutsAndHugePicturesAreRefusedBeforeAnyFrame() throws {
        #expect(throws: FormatError.self) { try YUV4MPEGReader(bytes: Array("YUV4MPEG2 W2 H2 C411\n".utf8)) }
        do {
            _ = try YUV4MPEGReader(bytes: Array("YUV4MPEG2 W2 H2 C444alpha\n".utf8), name: "a.y4m")
        } catch let error as FormatError {
            #expect(error.description.hasPrefix("'a.y4m' cannot be compared: its colour space 'C444alpha' is not one of"))
        }
        #expect(throws: FormatError.imageTooLarge(path: "<memory>", width: 100_000, height: 100_000, limit: 100_000_000)) {
            try YUV4MPEGReader(bytes: Array("YUV4MPEG2 W100000 H100000\n".utf8))
        }
    }

    @Test func aTruncatedFrameSaysHowManyBytesItNeedsAndHas() throws {
        // 8K 4:4:4 16-bit frames (199 MB each) declared, 10 bytes given: refused before allocating.
        let big = Array("YUV4MPEG2 W7680 H4320 C444p16\nFRAME\n".utf8) + [UInt8](repeating: 0, count: 10)
        #expect(throws: FormatError.truncatedYUV4MPEG(path: "<memory>", frame: 1, expectedBytes: 199_065_600, actualBytes: 10)) {
            try YUV4MPEGReader(bytes: big).nextFrame()
        }
        let path = NSTemporaryDirectory() + "y4m-\(UUID().uuidString).y4m"
        try Data(Self.file("YUV4MPEG2 W2 H2 C444", frames: [[UInt8](repeating: 1, count: 12), [1, 2, 3]])).write(to: URL(fileURLWithPath: path))
        let reader = try YUV4MPEGReader(path: path)
        #expect(try reader.nextFrame()?.number == 1)
        #expect(throws: FormatError.truncatedYUV4MPEG(path: path, frame: 2, expectedBytes: 12, actualBytes: 3)) { try reader.nextFrame() }
        #expect(
            FormatError.truncatedYUV4MPEG(path: "a.y4m", frame: 2, expectedBytes: 12, actualBytes: 3).description.hasPrefix(
                "'a.y4m' is truncated: frame 2 needs 12 bytes but only 3 remain"))
    }

    @Test func missingFilesAndFoldersAreFileErrors() throws {
        #expect(throws: FormatError.fileNotFound(path: "/nonexistent/a.y4m")) { try YUV4MPEGReader(path: "/nonexistent/a.y4m") }
        #expect(throws: FormatError.unreadableFile(path: NSTemporaryDirectory(), reason: "it is a directory")) {
            try YUV4MPEGReader(path: NSTemporaryDirectory())
        }
    }
}
