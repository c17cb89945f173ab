/// The file formats this module reads (and, for PNG and JPEG, writes), told apart by content or
/// by extension.
///
/// Reading goes by content (the magic number at the start of the file), never by the name: a
/// `.png` that holds a JPEG is read as a JPEG. Writing goes by extension.
///
/// ```swift
/// FileFormat(detectingContentOf: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])   // .png
/// FileFormat(pathExtensionOf: "map.NPY")                                             // .npy
/// ```
public enum FileFormat: String, CaseIterable, Sendable {
    /// Portable Network Graphics, read through libpng.
    case png
    /// JPEG (JFIF or Exif), read through libjpeg-turbo.
    case jpeg
    /// WebP, lossy or lossless, read through libwebp.
    case webp
    /// AVIF (AV1 in HEIF), read through libavif.
    case avif
    /// TIFF (and BigTIFF), read through libtiff.
    case tiff
    /// GIF, its first frame, read through giflib.
    case gif
    /// Windows bitmap, read through GraphicsMagick.
    case bmp
    /// Netpbm's PBM, PGM, PPM and PAM, read through GraphicsMagick.
    case pnm
    /// A NumPy `.npy` array.
    case npy

    /// The name used in messages: "PNG", "JPEG", "WebP", "AVIF", "TIFF", "GIF", "BMP", "PNM" or ".npy".
    ///
    /// ```swift
    /// FileFormat.jpeg.name   // "JPEG"
    /// ```
    public var name: String {
        switch self {
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        case .webp: return "WebP"
        case .avif: return "AVIF"
        case .tiff: return "TIFF"
        case .gif: return "GIF"
        case .bmp: return "BMP"
        case .pnm: return "PNM"
        case .npy: return ".npy"
        }
    }

    /// The library that reads the format, as error messages name it.
    ///
    /// ```swift
    /// FileFormat.bmp.library   // "GraphicsMagick"
    /// ```
    public var library: String {
        switch self {
        case .png: return "libpng"
        case .jpeg: return "libjpeg"
        case .webp: return "libwebp"
        case .avif: return "libavif"
        case .tiff: return "libtiff"
        case .gif: return "giflib"
        case .bmp, .pnm: return "GraphicsMagick"
        case .npy: return "SSIMFormats"
        }
    }

    /// Whether the format is an image (every case but ``npy``).
    ///
    /// ```swift
    /// FileFormat.webp.isImage   // true
    /// ```
    public var isImage: Bool { self != .npy }

    /// Recognises a format from the first bytes of a file (its magic number), or returns nil.
    ///
    /// PNG `89 50 4E 47 0D 0A 1A 0A`; JPEG `FF D8 FF`; WebP `RIFF....WEBP`; AVIF an ISO-BMFF
    /// `ftyp` box whose brands include `avif` or `avis`; TIFF `II*\0`, `MM\0*` (BigTIFF `II+\0`,
    /// `MM\0+`); GIF `GIF87a`, `GIF89a`; BMP `BM`; PNM `P1` to `P7` then white space; `.npy`
    /// `\x93NUMPY`.
    ///
    /// ```swift
    /// FileFormat(detectingContentOf: [0xFF, 0xD8, 0xFF, 0xE0])   // .jpeg
    /// FileFormat(detectingContentOf: Array("GIF89a".utf8))      // .gif
    /// ```
    public init?(detectingContentOf bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(64))
        func has(_ text: String, at offset: Int) -> Bool {
            let expected = Array(text.utf8)
            return head.count >= offset + expected.count && Array(head[offset..<offset + expected.count]) == expected
        }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.starts(with: NumPyHeader.magic) {
            self = .npy
        } else if has("RIFF", at: 0) && has("WEBP", at: 8) {
            self = .webp
        } else if has("ftyp", at: 4), Self.isAVIF(head) {
            self = .avif
        } else if [[0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A], [0x49, 0x49, 0x2B, 0x00], [0x4D, 0x4D, 0x00, 0x2B]]
            .contains(where: head.starts(with:))
        {
            self = .tiff
        } else if has("GIF87a", at: 0) || has("GIF89a", at: 0) {
            self = .gif
        } else if has("BM", at: 0) && head.count >= 26 {
            self = .bmp
        } else if head.count >= 3, head[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "7")).contains(head[1]),
            [0x20, 0x09, 0x0A, 0x0D].contains(head[2])
        {
            self = .pnm
        } else {
            return nil
        }
    }

    /// Whether an ISO-BMFF `ftyp` box (at the start of `head`) names the `avif` or `avis` brand,
    /// as its major brand or one of the compatible brands within the first 64 bytes.
    private static func isAVIF(_ head: [UInt8]) -> Bool {
        let size = head.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        let end = min(head.count, max(16, size))
        var offset = 8
        while offset + 4 <= end {
            let brand = head[offset..<offset + 4]
            if brand.elementsEqual("avif".utf8) || brand.elementsEqual("avis".utf8) { return true }
            offset += offset == 8 ? 8 : 4  // the major brand, the minor version, then compatible brands
        }
        return false
    }

    /// Recognises a format from a path's extension, any case: `.png`, `.jpg`/`.jpeg`, `.webp`,
    /// `.avif`, `.tif`/`.tiff`, `.gif`, `.bmp`, `.pnm`/`.pbm`/`.pgm`/`.ppm`/`.pam`, `.npy`; or
    /// returns nil.
    ///
    /// ```swift
    /// FileFormat(pathExtensionOf: "out/heat.JPG")   // .jpeg
    /// ```
    public init?(pathExtensionOf path: String) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        case "webp": self = .webp
        case "avif": self = .avif
        case "tif", "tiff": self = .tiff
        case "gif": self = .gif
        case "bmp": self = .bmp
        case "pnm", "pbm", "pgm", "ppm", "pam": self = .pnm
        case "npy": self = .npy
        default: return nil
        }
    }
}
