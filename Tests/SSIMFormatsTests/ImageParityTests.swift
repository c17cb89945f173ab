import Foundation
import StructuralSimilarity
import Testing

@testable import SSIMFormats

/// Each WebP, AVIF, TIFF, GIF, BMP and PNM fixture decodes to exactly the pixels of the reference
/// decoder (Pillow, or tifffile where Pillow cannot read the file): Scripts/make_image_fixtures.py
/// wrote both, the reference as NAME.npy (C, H, W), alpha last.
@Suite struct ImageParityTests {
    static let folder = Fixtures.path("formats")

    /// The fixture files with a reference, except the orientation fixture (ImageOrientationTests).
    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let references = Set(names.filter { $0.hasSuffix(".npy") }.map { String($0.dropLast(4)) })
        return names.filter { name in
            guard !name.hasSuffix(".npy"), let dot = name.lastIndex(of: ".") else { return false }
            return references.contains(String(name[..<dot])) && !name.hasPrefix("orientation-")
        }.sorted()
    }()

    @Test func everyFormatHasFixtures() {
        for format in FileFormat.allCases where ![.png, .jpeg, .npy].contains(format) {
            #expect(Self.files.contains { FileFormat(pathExtensionOf: $0) == format }, "no fixture for \(format.name)")
        }
    }

    @Test(arguments: files) func pixelsMatchTheReferenceDecoder(_ name: String) throws {
        let path = Self.folder + "/" + name
        let image = try ImageFile.read(path)
        let read = image.alpha == nil ? image.tensor : try AlphaHandling.channel.apply(to: image)
        let reference = try NumPyFile.read(Self.folder + "/" + name.split(separator: ".")[0] + ".npy").array.tensor(of: Float.self)
        #expect(image.format == FileFormat(pathExtensionOf: name))
        #expect(read.shape == reference.shape, "\(name): \(read.shape) vs the reference's \(reference.shape)")
        guard read.shape == reference.shape else { return }
        let differing = zip(read.scalars, reference.scalars).filter { $0 != $1 }.count
        let worst = zip(read.scalars, reference.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(differing == 0, "\(name): \(differing) of \(read.scalars.count) samples differ, by up to \(worst)")
    }

    @Test func bitDepths() throws {
        let depths = try ["tiff-grey16.tif", "tiff-rgb16.tif", "tiff-rgb-float-tiled.tif", "pnm-grey16.pgm", "webp-lossy-rgb.webp"]
            .map { try ImageFile.read(Self.folder + "/" + $0).bitDepth }
        #expect(depths == [16, 16, 32, 16, 8])
    }
}
