/// The file formats this module reads and writes, told apart by content or by extension.
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
    /// A NumPy `.npy` array.
    case npy

    /// The name used in messages: "PNG", "JPEG" or ".npy".
    ///
    /// ```swift
    /// FileFormat.jpeg.name   // "JPEG"
    /// ```
    public var name: String {
        switch self {
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        case .npy: return ".npy"
        }
    }

    /// Recognises a format from the first bytes of a file (its magic number), or returns nil.
    ///
    /// ```swift
    /// FileFormat(detectingContentOf: [0xFF, 0xD8, 0xFF, 0xE0])   // .jpeg
    /// ```
    public init?(detectingContentOf bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(8))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.starts(with: NumPyHeader.magic) {
            self = .npy
        } else {
            return nil
        }
    }

    /// Recognises a format from a path's extension (`.png`, `.jpg`, `.jpeg`, `.npy`, any case),
    /// or returns nil.
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
        case "npy": self = .npy
        default: return nil
        }
    }
}
