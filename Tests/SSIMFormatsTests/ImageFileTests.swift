import Testing
import StructuralSimilarity
@testable import SSIMFormats

@Suite struct ImageFileTests {
    typealias F = Fixtures

    struct PNGCase: CustomTestStringConvertible, Sendable {
        var file: String
        var channels: Int
        var bitDepth: Int
        var droppedAlpha: Bool
        var sample: @Sendable (Int, Int, Int) -> Int
        var testDescription: String { file }
    }

    static let pngCases: [PNGCase] = [
        PNGCase(file: "grey16.png", channels: 1, bitDepth: 16, droppedAlpha: false, sample: F.v16),
        PNGCase(file: "rgb16.png", channels: 3, bitDepth: 16, droppedAlpha: false, sample: F.v16),
        PNGCase(file: "rgba16-gamma.png", channels: 3, bitDepth: 16, droppedAlpha: true, sample: F.v16),
        PNGCase(file: "grey-alpha8.png", channels: 1, bitDepth: 8, droppedAlpha: true, sample: F.v8),
        PNGCase(file: "rgba8.png", channels: 3, bitDepth: 8, droppedAlpha: true, sample: F.v8),
        PNGCase(file: "rgb8-interlaced.png", channels: 3, bitDepth: 8, droppedAlpha: false, sample: F.v8),
        PNGCase(file: "grey8-trns.png", channels: 1, bitDepth: 8, droppedAlpha: true, sample: F.v8),
        PNGCase(file: "grey1.png", channels: 1, bitDepth: 8, droppedAlpha: false, sample: { x, y, _ in (x + y) % 2 * 255 }),
        PNGCase(
            file: "palette8.png", channels: 3, bitDepth: 8, droppedAlpha: false,
            sample: { x, y, c in F.paletteEntry((x + y * F.width) % 20)[c] }),
        PNGCase(
            file: "palette4-trns.png", channels: 3, bitDepth: 8, droppedAlpha: true,
            sample: { x, y, c in F.paletteEntry((x + y * F.width) % 11)[c] }),
    ]

    @Test(arguments: pngCases)
    func readsEveryPNGKindAsStoredSamples(_ fixture: PNGCase) throws {
        let image = try ImageFile.read(F.path(fixture.file))
        let maximum: Float = fixture.bitDepth == 16 ? 65535 : 255
        #expect(image.tensor == (try F.expected(channels: fixture.channels, maximum: maximum, fixture.sample)))
        #expect(image.format == .png)
        #expect(image.bitDepth == fixture.bitDepth)
        #expect(image.droppedAlpha == fixture.droppedAlpha)
    }

    @Test(arguments: [1, 3])
    func eightBitPNGRoundTripsExactly(channels: Int) throws {
        let original = try quantisedImage(channels: channels, height: 7, width: 9, seed: UInt64(channels))
        let decoded = try ImageFile.decode(ImageFile.encodePNG(original))
        #expect(decoded.tensor == original)
        #expect(decoded.bitDepth == 8 && !decoded.droppedAlpha && decoded.format == .png)
    }

    @Test func writesAndReadsFilesChoosingTheFormatByExtension() throws {
        let directory = try TemporaryDirectory()
        let original = try quantisedImage(channels: 3, height: 16, width: 16, seed: 7)
        try ImageFile.write(original.scalarsAsDouble(), to: directory.file("a.png"))
        try ImageFile.write(Self.gradient, to: directory.file("a.JPG"), jpegQuality: 95)
        #expect(try ImageFile.read(directory.file("a.png")).tensor == original)
        let jpeg = try ImageFile.read(directory.file("a.JPG"))
        #expect(jpeg.format == .jpeg)
        #expect(maxDifference(jpeg.tensor, Self.gradient) < 0.05)
        #expect(
            formatError { try ImageFile.write(original, to: directory.file("a.bmp")) }
                == .unknownExtension(path: directory.file("a.bmp")))
        #expect(
            formatError { try ImageFile.write(original, to: directory.file("a.npy")) }
                == .unknownExtension(path: directory.file("a.npy")))
    }

    @Test func formatIsDetectedByContentNotName() throws {
        let directory = try TemporaryDirectory()
        let original = try quantisedImage(channels: 1, height: 3, width: 3, seed: 1)
        try OutputFile.write(ImageFile.encodePNG(original), to: directory.file("actually-png.jpg"))
        let image = try ImageFile.read(directory.file("actually-png.jpg"))
        #expect(image.format == .png && image.tensor == original)
    }

    @Test func quantisesByClampingAndRounding() throws {
        let values: [Double] = [-1, 0.5 / 255 + 1e-9, 0.2, 2, .nan, .infinity]
        let decoded = try ImageFile.decode(ImageFile.encodePNG(try Tensor(shape: [1, 1, 1, 6], scalars: values)))
        #expect(decoded.tensor.scalars == [0, 1, 51, 255, 0, 255].map { Float($0) / 255 })
    }

    /// A smooth colour image, which JPEG keeps close.
    static let gradient = try! Tensor<Float>(
        shape: [1, 3, 32, 32],
        scalars: (0..<3 * 32 * 32).map { index in
            let (c, y, x) = (index / 1024, index / 32 % 32, index % 32)
            return Float(x + y + 8 * c) / 80
        })

    @Test func jpegIsApproximatelyTheOriginal() throws {
        let gradient = Self.gradient
        let decoded = try ImageFile.decode(ImageFile.encodeJPEG(gradient, quality: 95))
        #expect(decoded.format == .jpeg && decoded.bitDepth == 8 && decoded.tensor.shape == [1, 3, 32, 32])
        #expect(maxDifference(decoded.tensor, gradient) < 0.05)

        let grey = try Tensor<Float>(shape: [1, 1, 8, 8], repeating: 0.5)
        #expect(try ImageFile.decode(ImageFile.encodeJPEG(grey, quality: 90)).tensor.shape == [1, 1, 8, 8])
    }

    @Test func writingRefusesOtherShapes() throws {
        for shape in [[1, 2, 4, 4], [2, 1, 4, 4], [1, 1, 0, 4], [4, 4], [1, 4, 4, 4, 1]] {
            let tensor = try Tensor<Float>(shape: shape, repeating: 0)
            guard case .invalidImageShape? = formatError({ _ = try ImageFile.encodePNG(tensor) }) else {
                Issue.record("shape \(shape) was accepted")
                continue
            }
        }
        #expect(
            formatError { _ = try ImageFile.encodePNG(RGB8Image(width: 0, height: 3, color: (0, 0, 0))) }
                == .invalidImageShape([3, 0, 3], expected: "at least 1 x 1 pixels"))
    }

    @Test func truncatedPNGThrowsCorruptImage() throws {
        let bytes = try F.bytes("rgb16.png")
        for length in [9, 40, bytes.count / 2, bytes.count - 5] {
            let error = formatError { _ = try ImageFile.decode(Array(bytes.prefix(length)), name: "cut.png") }
            guard case let .corruptImage(path, format, message)? = error else {
                Issue.record("\(length) bytes: \(String(describing: error))")
                continue
            }
            #expect(path == "cut.png" && format == .png && !message.isEmpty)
        }
    }

    @Test func aChunkLongerThanTheFileIsRefusedBeforeLibpngAllocatesIt() {
        // 49 bytes whose tEXt chunk claims 2 GB (found by Scripts/fuzz.sh): libpng 1.6 only
        // warns about the length and allocated it all before finding the end of the file.
        let bytes: [UInt8] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
            0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B,
            0x55, 0x7F, 0xFF, 0xFF, 0xFE, 0x74, 0x45, 0x58, 0x74, 0x43, 0x6F, 0x6D, 0x6D, 0x65, 0x6E, 0x74, 0x00,
        ]
        #expect(
            formatError { _ = try ImageFile.decode(bytes, name: "long.png") }
                == .corruptImage(path: "long.png", format: .png, message: "the file ends early (truncated PNG)"))
    }

    @Test func corruptPNGDataThrowsTheLibraryMessage() throws {
        var bytes = try F.bytes("rgb16.png")
        bytes[bytes.count - 30] ^= 0xFF  // inside IDAT: the CRC no longer matches
        let error = formatError { _ = try ImageFile.decode(bytes, name: "bad.png") }
        guard case let .corruptImage("bad.png", .png, message)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(!message.isEmpty)
        #expect(error!.description.contains("libpng: \(message)"))
    }

    @Test func truncatedJPEGThrowsCorruptImage() throws {
        let image = try quantisedImage(channels: 3, height: 32, width: 32, seed: 3)
        let bytes = try ImageFile.encodeJPEG(image, quality: 80)
        let error = formatError { _ = try ImageFile.decode(Array(bytes.prefix(bytes.count / 2)), name: "cut.jpg") }
        guard case let .corruptImage("cut.jpg", .jpeg, message)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(message.contains("Premature end"))
    }

    @Test func unrecognisedBytesThrow() {
        #expect(formatError { _ = try ImageFile.decode([]) } == .unrecognizedFormat(path: "<memory>"))
        #expect(formatError { _ = try ImageFile.decode([1, 2, 3], name: "x.heic") } == .unrecognizedFormat(path: "x.heic"))
        // Unknown content named .gif goes to giflib, whose message says what is wrong.
        guard case .corruptImage(_, .gif, _)? = formatError({ _ = try ImageFile.decode([1, 2, 3], name: "x.gif") })
        else { Issue.record("a broken .gif is not reported as a corrupt GIF"); return }
        #expect(
            formatError { _ = try ImageFile.decode([1, 2, 3], name: "x.png") }
                == .corruptImage(path: "x.png", format: .png, message: "missing PNG signature"))
        guard case .corruptImage(_, .jpeg, _)? = formatError({ _ = try ImageFile.decode([1, 2, 3], name: "x.jpeg") })
        else { Issue.record("a broken .jpeg is not reported as a corrupt JPEG"); return }
        #expect(
            formatError { _ = try ImageFile.read(Fixtures.path("f4-rank2.npy")) }
                == .contentMismatch(path: Fixtures.path("f4-rank2.npy"), content: .npy))
    }

    @Test func missingFilesAndDirectoriesThrow() throws {
        let directory = try TemporaryDirectory()
        #expect(
            formatError { _ = try ImageFile.read(directory.file("none.png")) }
                == .fileNotFound(path: directory.file("none.png")))
        #expect(
            formatError { _ = try ImageFile.read(directory.path) }
                == .unreadableFile(path: directory.path, reason: "it is a directory"))
    }

    @Test func imagesAboveThePixelLimitThrowBeforeDecoding() throws {
        #expect(
            formatError { _ = try ImageFile.read(F.path("rgb16.png"), maximumPixelCount: 19) }
                == .imageTooLarge(path: F.path("rgb16.png"), width: 5, height: 4, limit: 19))
        let jpeg = try ImageFile.encodeJPEG(try quantisedImage(channels: 1, height: 8, width: 8, seed: 2), quality: 50)
        #expect(
            formatError { _ = try ImageFile.decode(jpeg, maximumPixelCount: 63) }
                == .imageTooLarge(path: "<memory>", width: 8, height: 8, limit: 63))
        #expect(try ImageFile.read(F.path("rgb16.png"), maximumPixelCount: 20).width == 5)
    }

    /// Mutated files either decode or throw a FormatError; nothing traps.
    @Test(arguments: ["png", "jpeg"])
    func mutatedBytesNeverTrap(format: String) throws {
        let image = try quantisedImage(channels: 3, height: 12, width: 12, seed: 9)
        let original = format == "png" ? try ImageFile.encodePNG(image) : try ImageFile.encodeJPEG(image, quality: 70)
        var generator = SplitMix64(seed: 42)
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            bytes = Array(bytes.prefix(Int.random(in: bytes.count / 2...bytes.count, using: &generator)))
            do {
                let decoded = try ImageFile.decode(bytes, maximumPixelCount: 1 << 20)
                #expect(decoded.tensor.scalars.allSatisfy { (0...1).contains($0) })
            } catch {
                #expect(error is FormatError)
            }
        }
    }
}

func maxDifference(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Float {
    zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
}

extension Tensor where Scalar == Float {
    func scalarsAsDouble() throws -> Tensor<Double> {
        try Tensor<Double>(shape: shape, scalars: scalars.map(Double.init))
    }
}
