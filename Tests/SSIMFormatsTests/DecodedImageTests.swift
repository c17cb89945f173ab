import Testing
import StructuralSimilarity
import SSIMFormats

@Suite struct DecodedImageTests {
    @Test func exposesTheTensorAxes() throws {
        let image = DecodedImage(
            tensor: try Tensor(shape: [1, 3, 4, 5], repeating: 0), format: .jpeg, bitDepth: 8, droppedAlpha: false)
        #expect((image.channels, image.height, image.width) == (3, 4, 5))
        #expect(try ImageFile.read(Fixtures.path("grey-alpha8.png")).channels == 1)
    }
}
