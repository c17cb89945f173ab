import Foundation
import StructuralSimilarity
import Testing

@testable import SSIMFormats

@Suite struct ImageOrientationTests {
    static let folder = Fixtures.path("formats")

    /// A 2 x 3 image 1 2 3 / 4 5 6, turned by each tag: Pillow's exif_transpose results.
    @Test func everyTagTurnsAsPillowDoes() throws {
        let image = try Tensor<Float>(shape: [1, 1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let expected: [Int: ([Int], [Float])] = [
            1: ([2, 3], [1, 2, 3, 4, 5, 6]), 2: ([2, 3], [3, 2, 1, 6, 5, 4]), 3: ([2, 3], [6, 5, 4, 3, 2, 1]),
            4: ([2, 3], [4, 5, 6, 1, 2, 3]), 5: ([3, 2], [1, 4, 2, 5, 3, 6]), 6: ([3, 2], [4, 1, 5, 2, 6, 3]),
            7: ([3, 2], [6, 3, 5, 2, 4, 1]), 8: ([3, 2], [3, 6, 2, 5, 1, 4]),
        ]
        for (tag, (sides, scalars)) in expected {
            let turned = try ImageOrientation(tag: tag)!.apply(to: image)
            #expect(turned.shape == [1, 1] + sides && turned.scalars == scalars, "tag \(tag): \(turned.scalars)")
        }
        #expect(ImageOrientation(tag: 0) == nil && ImageOrientation(tag: 9) == nil)
    }

    /// A JPEG tagged 6 reads as Pillow's decode + ImageOps.exif_transpose, pixel for pixel.
    @Test func exifOrientationMatchesPillow() throws {
        let image = try ImageFile.read(Self.folder + "/orientation-6.jpg")
        #expect(image.orientation == 6)
        let reference = try NumPyFile.read(Self.folder + "/orientation-6.npy").array.tensor(of: Float.self)
        #expect(image.tensor == reference)
        let stored = try ImageFile.read(Self.folder + "/orientation-6.jpg", options: ImageReadOptions(appliesOrientation: false))
        #expect(stored.tensor.shape == [1, 3, 17, 21] && stored.orientation == 6)
        #expect(try ImageOrientation(tag: 6)!.apply(to: stored.tensor) == image.tensor)
    }

    /// An AVIF's irot box (Pillow's translation of EXIF orientation 6) is applied as Pillow does.
    @Test func avifTransformsMatchPillow() throws {
        let image = try ImageFile.read(Self.folder + "/orientation-6.avif")
        #expect(image.orientation == 6)
        let reference = try NumPyFile.read(Self.folder + "/orientation-6-avif.npy").array.tensor(of: Float.self)
        #expect(image.tensor == reference)
    }

    @Test func filesWithoutATagAreUpright() throws {
        #expect(try ImageFile.read(Self.folder + "/webp-lossy-rgb.webp").orientation == 1)
        #expect(try ImageFile.read(Self.folder + "/tiff-rgb8-lzw.tif").orientation == 1)
    }
}
