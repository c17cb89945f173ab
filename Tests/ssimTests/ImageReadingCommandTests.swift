import Foundation
import SSIMFormats
import StructuralSimilarity
import Testing

/// `--alpha`, `--orientation`, `--icc`, `--grayscale` and the new formats, through the command.
@Suite struct ImageReadingCommandTests {
    /// SSIMFormatsTests' fixtures (Scripts/make_image_fixtures.py), read from the source tree.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../SSIMFormatsTests/Fixtures/formats").standardized.path

    static func ssimValue(_ run: CLI.Run) -> Double? {
        guard let line = run.lines.first, line.hasPrefix("SSIM ") else { return nil }
        return Double(line.dropFirst(5).prefix { $0 != " " })
    }

    /// ImageMagick #2835: two PNGs that look the same (other colours only where alpha is 0).
    @Test func transparentPixelsDoNotCountByDefault() throws {
        let a = Self.fixtures + "/alpha-2835-a.png", b = Self.fixtures + "/alpha-2835-b.png"
        let composite = try CLI.run([a, b])
        #expect(composite.status == 0, "\(composite.err)")
        #expect(Self.ssimValue(composite) == 1)
        // Identical images: 1 but for Kornia's eps in flat windows (0.99999958 over black).
        for mode in ["composite=black", "composite=#336699", "composite=0.25"] {
            #expect(try #require(Self.ssimValue(try CLI.run([a, b, "--alpha", mode]))) > 0.9999, "--alpha \(mode)")
        }
        // The library's view: the composited tensors are identical.
        let x = try ImageFile.read(a), y = try ImageFile.read(b)
        #expect(x.tensor != y.tensor)
        for background: [Float] in [[1], [0], [0.2, 0.4, 0.6]] {
            let handling = AlphaHandling.composite(over: background)
            #expect(try handling.apply(to: x) == handling.apply(to: y))
        }
        // Dropping alpha, or comparing it as a channel, compares the hidden colours too: far from identical.
        for mode in ["drop", "channel"] {
            #expect(try #require(Self.ssimValue(try CLI.run([a, b, "--alpha", mode]))) < 0.9, "--alpha \(mode)")
        }
    }

    @Test func channelComparesAlpha() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The same colours, opaque in one file: identical when alpha is dropped, not as a channel.
        let a = Self.fixtures + "/alpha-2835-a.png"
        let colour = try ImageFile.read(a).tensor
        try ImageFile.write(colour, to: "\(dir)/opaque.png")
        #expect(try #require(Self.ssimValue(try CLI.run([a, "\(dir)/opaque.png", "--alpha", "drop"]))) > 0.9999)
        let channel = try CLI.run([a, "\(dir)/opaque.png", "--alpha", "channel", "--json"])
        #expect(channel.status == 0, "\(channel.err)")
        #expect(channel.out.contains("\"shape\": [1, 4, 17, 21]"), "\(channel.out)")
        #expect(try #require(Self.ssimValue(try CLI.run([a, "\(dir)/opaque.png", "--alpha", "channel"]))) < 0.99)
    }

    @Test func badAlphaValuesAreUsageErrors() throws {
        let a = Self.fixtures + "/alpha-2835-a.png"
        for (value, message) in [
            ("composite=purple", "--alpha composite=COLOR takes white"), ("sideways", "--alpha takes composite[=COLOR]"),
        ] {
            let run = try CLI.run([a, a, "--alpha", value])
            #expect(run.status == 64 && run.err.contains(message), "\(value): \(run.err)")
        }
        let icc = try CLI.run([a, a, "--icc", "maybe"])
        #expect(icc.status == 64 && icc.err.contains("--icc takes convert or ignore"))
        let grey = try CLI.run([a, a, "--grayscale", "bt2020"])
        #expect(grey.status == 64 && grey.err.contains("--grayscale takes matlab"))
    }

    /// A phone photo (EXIF orientation 6) and its upright lossless export are the same picture.
    @Test func orientationIsApplied() throws {
        let photo = Self.fixtures + "/orientation-6.jpg", upright = Self.fixtures + "/orientation-6-upright.png"
        let applied = try CLI.run([photo, upright])
        #expect(applied.status == 0, "\(applied.err)")
        #expect(Self.ssimValue(applied) == 1)
        let ignored = try CLI.run([photo, upright, "--orientation", "ignore"])
        #expect(ignored.status == 65 && ignored.err.contains("shape"), "\(ignored.err)")
    }

    @Test(arguments: [("matlab", GrayscaleConversion.matlabRGB2Gray), ("bt601", .bt601Luma), ("bt709", .bt709Luma)])
    func grayscaleUsesTheLibrarysConversion(_ name: String, _ conversion: GrayscaleConversion) throws {
        let a = Self.fixtures + "/webp-lossless-rgb.webp", b = Self.fixtures + "/webp-lossy-rgb.webp"
        var options = SSIMOptions.kornia
        options.grayscale = conversion
        let x = try ImageFile.read(a).tensor, y = try ImageFile.read(b).tensor
        let expected = try ssim(x, y, options: options).scalars.reduce(0.0) { $0 + Double($1) }
        let run = try CLI.run([a, b, "--grayscale", name, "--json"])
        #expect(run.status == 0, "\(run.err)")
        let count = Double(x.shape[2] * x.shape[3])
        let value = try #require(Self.ssimValue(try CLI.run([a, b, "--grayscale", name])))
        #expect(abs(value - expected / count) < 1e-7)
    }

    @Test func foldersOfEveryFormat() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let names = ["webp-lossy-rgb.webp", "avif-rgb.avif", "tiff-rgb16.tif", "gif-small.gif", "bmp-rgb24.bmp", "pnm-rgb8.ppm"]
        for side in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(side)", withIntermediateDirectories: true)
            for name in names { try FileManager.default.copyItem(atPath: Self.fixtures + "/" + name, toPath: "\(dir)/\(side)/\(name)") }
        }
        let run = try CLI.run(["\(dir)/a", "\(dir)/b", "--window-size", "7"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.lines.filter { $0.hasPrefix("SSIM 1.00000000") }.count == names.count, "\(run.out)")
    }
}
