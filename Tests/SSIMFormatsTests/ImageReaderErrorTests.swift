import Foundation
import StructuralSimilarity
import Testing

@testable import SSIMFormats

/// The new readers on bad input: content wins over the extension, and corrupt, truncated and
/// huge-dimension files end in a FormatError before their pixels are allocated.
@Suite struct ImageReaderErrorTests {
    static let folder = Fixtures.path("formats")
    static let samples = [
        "webp-lossy-rgb.webp", "webp-lossless-rgba.webp", "avif-rgb.avif", "tiff-rgb8-lzw.tif", "tiff-rgb16.tif",
        "gif-interlaced.gif", "bmp-rgb24.bmp", "pnm-rgb8.ppm", "pnm-plain.pgm",
    ]

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }

    @Test(arguments: samples) func contentWinsOverTheExtension(_ name: String) throws {
        let expected = FileFormat(pathExtensionOf: name)
        let image = try ImageFile.decode(try Self.bytes(name), name: "misnamed.png")
        #expect(image.format == expected)
    }

    @Test(arguments: samples) func truncatedFilesThrowAFormatError(_ name: String) throws {
        let bytes = try Self.bytes(name)
        for length in [bytes.count / 2, bytes.count * 3 / 4, 40] {
            let error = formatError { _ = try ImageFile.decode(Array(bytes.prefix(length)), name: name) }
            guard case let .corruptImage(path, format, message)? = error else {
                Issue.record("\(name) cut to \(length) bytes: \(String(describing: error))")
                continue
            }
            #expect(path == name && format == FileFormat(pathExtensionOf: name) && !message.isEmpty)
        }
    }

    @Test(arguments: samples) func flippedBytesNeverTrap(_ name: String) throws {
        let bytes = try Self.bytes(name)
        var generator = SplitMix64(seed: 7)
        for _ in 0..<40 {
            var damaged = bytes
            for _ in 0..<4 { damaged[Int.random(in: 8..<damaged.count, using: &generator)] ^= 0x5A }
            do { _ = try ImageFile.decode(damaged, name: name) } catch is FormatError {}  // any other error fails
        }
    }

    @Test func hugeDimensionsAreRefusedBeforeDecoding() throws {
        // 100000 x 100000: over the pixel limit.
        let pgm = Array("P5\n100000 100000\n255\n".utf8) + [0, 0, 0]
        #expect(
            formatError { _ = try ImageFile.decode(pgm, name: "huge.pgm") }
                == .imageTooLarge(path: "huge.pgm", width: 100_000, height: 100_000, limit: ImageFile.defaultMaximumPixelCount))
        // 9000 x 9000 (under the limit) in a 30-byte file: refused for its size, not allocated.
        let small = Array("P5\n9000 9000\n255\n".utf8) + [0, 0, 0]
        guard case let .corruptImage(_, .pnm, message)? = formatError({ _ = try ImageFile.decode(small, name: "x.pgm") }) else {
            Issue.record("a 9000 x 9000 PGM of 20 bytes was not refused as corrupt")
            return
        }
        #expect(message.contains("smaller than its header"))
        // A GIF screen and a PNG header of 9000 x 9000 (under the limit) in files of a few dozen bytes.
        let gif = Array("GIF89a".utf8) + [0x28, 0x23, 0x28, 0x23, 0, 0, 0] + [0x3B]
        var png = try Fixtures.bytes("grey16.png")
        png[16...23] = [0, 0, 0x23, 0x28, 0, 0, 0x23, 0x28]
        let crc = Self.crc32(png[12..<29])
        png[29...32] = [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        for (bytes, name) in [(gif, "x.gif"), (png, "x.png")] {
            let error = formatError { _ = try ImageFile.decode(bytes, name: name) }
            guard case let .corruptImage(_, _, message)? = error, message.contains("more than a file of") else {
                Issue.record("\(name) claiming 9000 x 9000: \(String(describing: error))")
                continue
            }
        }
        // The fuzzer's GIF: a 2304 x 33442 screen (under the limit and the per-byte bound) with a
        // 9 x 7 frame, 120 bytes: refused because no data of its size can fill the screen.
        let base64 =
            "R0lGODdhAAkAooIDAADRk4iqeaKDdDh9U4dWbDxVTmwvSzwpZywAAAAACQAHAAAINQADAAAggACBAwcKDCRIwADCAwsF"
            + "GJiIcGCAABMnEgAQYMCAAhoJdPRYoAABAQUTehyAUkBAADs="
        let screen = [UInt8](Data(base64Encoded: base64)!)
        guard case let .corruptImage(_, .gif, message)? = formatError({ _ = try ImageFile.decode(screen, name: "screen.gif") }) else {
            Issue.record("the 120-byte GIF of a 2304 x 33442 screen was not refused as corrupt")
            return
        }
        #expect(message.contains("larger than its data could fill"))
        // A WebP whose header claims 16383 x 16383, over a smaller limit.
        var webp = try Self.bytes("webp-lossy-rgb.webp")
        let limited = formatError { _ = try ImageFile.decode(webp, name: "x.webp", maximumPixelCount: 100) }
        #expect(limited == .imageTooLarge(path: "x.webp", width: 21, height: 17, limit: 100))
        webp[26...29] = [0xFF, 0x3F, 0xFF, 0x3F]  // the VP8 frame's 14-bit width and height
        #expect(formatError { _ = try ImageFile.decode(webp, name: "x.webp") } != nil)
        for name in Self.samples {
            let error = formatError { _ = try ImageFile.decode(try Self.bytes(name), name: name, maximumPixelCount: 100) }
            guard case .imageTooLarge(name, 21, 17, 100)? = error else {
                Issue.record("\(name) over a 100-pixel limit: \(String(describing: error))")
                continue
            }
        }
    }

    /// PNG's zlib checksum (Adler-32) is not computed, as in Chromium's decoder, but every
    /// chunk's CRC-32 still is: a wrong Adler-32 under a right CRC decodes to the same image, and
    /// a damaged IDAT byte under its old CRC is refused.
    @Test func pngChecksAChunksCRCButNotZlibsAdler32() throws {
        let original = try Fixtures.bytes("rgba8.png")
        // The chunks after the 8-byte signature: IHDR (25 bytes in all), then IDAT.
        let idat = 8 + 25
        let length = Int(original[idat]) << 24 | Int(original[idat + 1]) << 16 | Int(original[idat + 2]) << 8 | Int(original[idat + 3])
        #expect(original[(idat + 4)..<(idat + 8)] == Array("IDAT".utf8)[...])
        let data = (idat + 8)..<(idat + 8 + length), crcAt = idat + 8 + length
        func withCRC(_ bytes: [UInt8]) -> [UInt8] {
            var fixed = bytes
            let crc = Self.crc32(bytes[(idat + 4)..<crcAt])
            fixed[crcAt...(crcAt + 3)] = [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
            return fixed
        }
        let expected = try ImageFile.decode(original, name: "rgba8.png")
        // The zlib stream's last four bytes are its Adler-32.
        var wrongAdler = original
        for i in (data.upperBound - 4)..<data.upperBound { wrongAdler[i] ^= 0xFF }
        #expect(try ImageFile.decode(withCRC(wrongAdler), name: "rgba8.png") == expected)
        // A byte of the compressed rows changed, its chunk's CRC not: a FormatError.
        var damaged = original
        damaged[data.lowerBound + length / 2] ^= 0x01
        guard case let .corruptImage(path, .png, message)? = formatError({ _ = try ImageFile.decode(damaged, name: "rgba8.png") }) else {
            Issue.record("an IDAT byte changed under its old CRC was not refused")
            return
        }
        #expect(path == "rgba8.png" && !message.isEmpty)
    }

    /// The CRC-32 of a PNG chunk's type and data (zlib's crc32).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    @Test func unsupportedKindsSaySo() throws {
        // A TIFF of signed 16-bit samples (SampleFormat 2), written by hand: 1 x 1, uncompressed.
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0]
        let entries: [(UInt16, UInt16, UInt32)] = [
            (256, 3, 1), (257, 3, 1), (258, 3, 16), (259, 3, 1), (262, 3, 1), (273, 4, 122), (277, 3, 1),
            (278, 3, 1), (279, 4, 2), (339, 3, 2),
        ]
        tiff += [UInt8(entries.count), 0]
        for (tag, type, value) in entries {
            tiff += [UInt8(tag & 0xFF), UInt8(tag >> 8), UInt8(type), 0, 1, 0, 0, 0]
            tiff += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), 0, 0]
        }
        tiff += [0, 0, 0, 0, 0x34, 0x12]
        let error = formatError { _ = try ImageFile.decode(tiff, name: "signed.tif") }
        guard case let .unsupportedImage("signed.tif", .tiff, message)? = error else {
            Issue.record("signed TIFF: \(String(describing: error))")
            return
        }
        #expect(message.contains("signed"))
        #expect("\(error!)".contains("convert it to PNG"))
    }
}
