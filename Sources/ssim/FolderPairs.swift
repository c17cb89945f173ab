import Foundation

/// The image and tensor files of two folders, matched by name.
///
/// Only the folders' own files count (not subfolders), with the extensions of the images the
/// command reads (``FileFormat/init(pathExtensionOf:)``: `.png`, `.jpg`, `.webp`, `.avif`, `.tif`,
/// `.gif`, `.bmp`, `.pgm`, ...) and `.npy`, in any case; hidden files (starting with `.`) are ignored.
struct FolderPairs {
    /// Names present in both folders, sorted.
    var names: [String]
    /// Names present in the first folder only, sorted.
    var onlyInFirst: [String]
    /// Names present in the second folder only, sorted.
    var onlyInSecond: [String]

    init(_ folder1: String, _ folder2: String) throws {
        let first = try Self.files(in: folder1), second = try Self.files(in: folder2)
        names = first.intersection(second).sorted()
        onlyInFirst = first.subtracting(second).sorted()
        onlyInSecond = second.subtracting(first).sorted()
    }

    static let extensions: Set<String> = [
        "png", "jpg", "jpeg", "webp", "avif", "tif", "tiff", "gif", "bmp", "pnm", "pbm", "pgm", "ppm", "pam", "npy",
    ]

    static func files(in folder: String) throws -> Set<String> {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw DataError(description: "cannot list the folder '\(folder)'; check that it exists and that you may read it")
        }
        return Set(
            names.filter { name in
                var isDirectory: ObjCBool = false
                return !name.hasPrefix(".") && extensions.contains((name as NSString).pathExtension.lowercased())
                    && FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
                    && !isDirectory.boolValue
            })
    }
}
