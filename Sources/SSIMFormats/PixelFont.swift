/// A 3 x 5 pixel font of digits, `.` and `-`: enough to label a colour bar.
///
/// ```swift
/// PixelFont.draw("0.25", into: &image, x: 2, y: 2, scale: 1, color: (0, 0, 0))
/// ```
enum PixelFont {
    /// Rows top to bottom; bit 2 is the left column.
    static let glyphs: [Character: [UInt8]] = [
        "0": [0b111, 0b101, 0b101, 0b101, 0b111],
        "1": [0b010, 0b110, 0b010, 0b010, 0b111],
        "2": [0b111, 0b001, 0b111, 0b100, 0b111],
        "3": [0b111, 0b001, 0b111, 0b001, 0b111],
        "4": [0b101, 0b101, 0b111, 0b001, 0b001],
        "5": [0b111, 0b100, 0b111, 0b001, 0b111],
        "6": [0b111, 0b100, 0b111, 0b101, 0b111],
        "7": [0b111, 0b001, 0b001, 0b001, 0b001],
        "8": [0b111, 0b101, 0b111, 0b101, 0b111],
        "9": [0b111, 0b101, 0b111, 0b001, 0b111],
        ".": [0b000, 0b000, 0b000, 0b000, 0b010],
        "-": [0b000, 0b000, 0b111, 0b000, 0b000],
    ]
    /// Glyph height in font pixels.
    static let height = 5

    /// The width in image pixels of `text` drawn at `scale` (glyphs 3 wide, 1 apart).
    static func width(of text: String, scale: Int) -> Int {
        max(0, text.count * 4 - 1) * scale
    }

    /// Draws `text` with its top-left corner at (`x`, `y`), each font pixel `scale` x `scale`
    /// image pixels, clipped to the image. Characters without a glyph are left blank.
    static func draw(
        _ text: String, into image: inout RGB8Image, x: Int, y: Int, scale: Int,
        color: (UInt8, UInt8, UInt8)
    ) {
        for (index, character) in text.enumerated() {
            guard let rows = glyphs[character] else { continue }
            for (row, bits) in rows.enumerated() {
                for column in 0..<3 where bits >> (2 - column) & 1 == 1 {
                    image.fill(
                        x: x + (index * 4 + column) * scale, y: y + row * scale,
                        width: scale, height: scale, color: color)
                }
            }
        }
    }
}
