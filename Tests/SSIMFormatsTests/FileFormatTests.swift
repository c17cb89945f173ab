import Testing
import SSIMFormats

@Suite struct FileFormatTests {
    @Test func detectsContentByMagicBytes() {
        #expect(FileFormat(detectingContentOf: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(FileFormat(detectingContentOf: [0xFF, 0xD8, 0xFF, 0xDB]) == .jpeg)
        #expect(FileFormat(detectingContentOf: [0x93] + Array("NUMPY".utf8) + [1, 0]) == .npy)
        #expect(FileFormat(detectingContentOf: [0x89, 0x50, 0x4E]) == nil)
        #expect(FileFormat(detectingContentOf: []) == nil)
        #expect(FileFormat(detectingContentOf: Array("GIF89a".utf8)) == nil)
    }

    @Test func recognisesExtensionsInAnyCase() {
        #expect(FileFormat(pathExtensionOf: "a.png") == .png)
        #expect(FileFormat(pathExtensionOf: "dir.x/a.JPG") == .jpeg)
        #expect(FileFormat(pathExtensionOf: "a.b.jpeg") == .jpeg)
        #expect(FileFormat(pathExtensionOf: "map.Npy") == .npy)
        #expect(FileFormat(pathExtensionOf: "dir.png/file") == nil)
        #expect(FileFormat(pathExtensionOf: ".png") == nil)
        #expect(FileFormat(pathExtensionOf: "a.bmp") == nil)
        #expect(FileFormat(pathExtensionOf: "") == nil)
        #expect(FileFormat.allCases.map(\.name) == ["PNG", "JPEG", ".npy"])
    }
}
