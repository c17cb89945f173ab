import Testing
import SSIMFormats

@Suite struct FileFormatTests {
    @Test func detectsContentByMagicBytes() {
        #expect(FileFormat(detectingContentOf: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(FileFormat(detectingContentOf: [0xFF, 0xD8, 0xFF, 0xDB]) == .jpeg)
        #expect(FileFormat(detectingContentOf: [0x93] + Array("NUMPY".utf8) + [1, 0]) == .npy)
        #expect(FileFormat(detectingContentOf: [0x89, 0x50, 0x4E]) == nil)
        #expect(FileFormat(detectingContentOf: []) == nil)
        #expect(FileFormat(detectingContentOf: Array("GIF89a".utf8)) == .gif)
        #expect(FileFormat(detectingContentOf: Array("GIF88a".utf8)) == nil)
        #expect(FileFormat(detectingContentOf: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(FileFormat(detectingContentOf: Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8)) == nil)
        #expect(FileFormat(detectingContentOf: [0, 0, 0, 0x1C] + Array("ftypavif\u{0}\u{0}\u{0}\u{0}mif1miaf".utf8)) == .avif)
        #expect(FileFormat(detectingContentOf: [0, 0, 0, 0x18] + Array("ftypmif1\u{0}\u{0}\u{0}\u{0}mif1avif".utf8)) == .avif)
        #expect(FileFormat(detectingContentOf: [0, 0, 0, 0x18] + Array("ftypheic\u{0}\u{0}\u{0}\u{0}mif1heic".utf8)) == nil)
        #expect(FileFormat(detectingContentOf: [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0]) == .tiff)
        #expect(FileFormat(detectingContentOf: [0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8]) == .tiff)
        #expect(FileFormat(detectingContentOf: Array("BM".utf8) + [UInt8](repeating: 0, count: 30)) == .bmp)
        #expect(FileFormat(detectingContentOf: Array("BM".utf8)) == nil)
        #expect(FileFormat(detectingContentOf: Array("P5\n3 2\n255\n".utf8)) == .pnm)
        #expect(FileFormat(detectingContentOf: Array("P7\nWIDTH 1\n".utf8)) == .pnm)
        #expect(FileFormat(detectingContentOf: Array("P8\n".utf8)) == nil)
        #expect(FileFormat(detectingContentOf: Array("Pixel".utf8)) == nil)
    }

    @Test func recognisesExtensionsInAnyCase() {
        #expect(FileFormat(pathExtensionOf: "a.png") == .png)
        #expect(FileFormat(pathExtensionOf: "dir.x/a.JPG") == .jpeg)
        #expect(FileFormat(pathExtensionOf: "a.b.jpeg") == .jpeg)
        #expect(FileFormat(pathExtensionOf: "map.Npy") == .npy)
        #expect(FileFormat(pathExtensionOf: "dir.png/file") == nil)
        #expect(FileFormat(pathExtensionOf: ".png") == nil)
        #expect(FileFormat(pathExtensionOf: "a.bmp") == .bmp)
        #expect(FileFormat(pathExtensionOf: "a.TIF") == .tiff)
        #expect(FileFormat(pathExtensionOf: "a.pgm") == .pnm)
        #expect(FileFormat(pathExtensionOf: "a.heic") == nil)
        #expect(FileFormat(pathExtensionOf: "") == nil)
        #expect(FileFormat.allCases.map(\.name) == ["PNG", "JPEG", "WebP", "AVIF", "TIFF", "GIF", "BMP", "PNM", ".npy"])
    }
}
