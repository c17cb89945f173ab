import Testing
import SSIMFormats

@Suite struct RGB8ImageTests {
    @Test func storesInterleavedRows() throws {
        var image = try RGB8Image(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image[1, 0] == (4, 5, 6))
        image[0, 0] = (9, 9, 9)
        #expect(image.pixels == [9, 9, 9, 4, 5, 6])
        #expect(RGB8Image(width: 2, height: 2, color: (1, 2, 3)).pixels == Array([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]))
    }

    @Test func rejectsAPixelCountThatDoesNotFit() {
        #expect(throws: FormatError.self) { try RGB8Image(width: 2, height: 2, pixels: [0, 0, 0]) }
        #expect(throws: FormatError.self) { try RGB8Image(width: -1, height: -3, pixels: [0, 0, 0]) }
        #expect(throws: FormatError.self) { try RGB8Image(width: Int.max, height: 2, pixels: []) }
    }

    @Test func fillClipsToTheImage() {
        var image = RGB8Image(width: 3, height: 2, color: (0, 0, 0))
        image.fill(x: -5, y: 1, width: 7, height: 9, color: (1, 1, 1))
        image.fill(x: 10, y: 10, width: 2, height: 2, color: (2, 2, 2))
        image.fill(x: 0, y: 0, width: -4, height: 1, color: (3, 3, 3))
        #expect(image.pixels == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0])
    }

    @Test func encodesAsRGBPNG() throws {
        let image = try RGB8Image(width: 2, height: 1, pixels: [255, 0, 0, 0, 0, 255])
        let decoded = try ImageFile.decode(ImageFile.encodePNG(image))
        #expect(decoded.tensor.shape == [1, 3, 1, 2])
        #expect(decoded.tensor.scalars == [1, 0, 0, 0, 0, 1])
    }
}
