import Foundation
import StructuralSimilarity
import Testing

@testable import SSIMFormats

/// Embedded ICC profiles: converted to sRGB as Pillow's ImageCms (LittleCMS) does, or kept.
@Suite struct ImageReadOptionsTests {
    static let folder = Fixtures.path("formats")

    @Test(arguments: ["icc-p3.png", "icc-p3.tif", "icc-p3.webp"]) func profilesAreConvertedOrKept(_ name: String) throws {
        let converted = try ImageFile.read(Self.folder + "/" + name)
        #expect(converted.convertedColorProfile)
        let kept = try ImageFile.read(Self.folder + "/" + name, options: ImageReadOptions(convertsColorProfile: false))
        #expect(!kept.convertedColorProfile)
        let stored = try NumPyFile.read(Self.folder + "/icc-p3-unconverted.npy").array.tensor(of: Float.self)
        #expect(kept.tensor == stored)
        #expect(converted.tensor != kept.tensor)
    }

    @Test func filesWithoutAProfileAreUntouched() throws {
        let image = try ImageFile.read(Self.folder + "/webp-lossless-rgb.webp")
        #expect(!image.convertedColorProfile)
    }
}

extension ImageReadOptionsTests {
    @Test func bothConversionsAreOnByDefault() {
        #expect(ImageReadOptions() == ImageReadOptions(convertsColorProfile: true, appliesOrientation: true))
    }
}
