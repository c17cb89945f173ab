import Testing
@testable import SSIMFormats

@Suite struct PixelFontTests {
    @Test func drawsGlyphsAtAScale() {
        var image = RGB8Image(width: 8, height: 10, color: (255, 255, 255))
        PixelFont.draw("1", into: &image, x: 1, y: 0, scale: 2, color: (0, 0, 0))
        let rows = (0..<10).map { y in String((0..<8).map { image[$0, y] == (0, 0, 0) ? "#" : "." }) }
        #expect(
            rows == [
                "...##...", "...##...", ".####...", ".####...", "...##...",
                "...##...", "...##...", "...##...", ".######.", ".######.",
            ])
    }

    @Test func measuresAndClipsText() {
        #expect(PixelFont.width(of: "0.25", scale: 1) == 15)
        #expect(PixelFont.width(of: "", scale: 3) == 0)
        var image = RGB8Image(width: 2, height: 2, color: (255, 255, 255))
        PixelFont.draw("8x-", into: &image, x: -1, y: -2, scale: 1, color: (0, 0, 0))
        #expect(image[0, 0] == (0, 0, 0))
    }
}
