import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// Unreadable or invalid inputs, and the outputs' safety: never over an input, nothing partial.
@Suite struct ErrorTests {
    /// A folder holding a valid `good.npy` (float32 16 x 16), `good.png` and `good.jpg`.
    func folder() throws -> String {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 1, 16, 16], 37, 101)
        try NumPyFile.write(.float32(x), to: "\(dir)/good.npy")
        try ImageFile.write(x, to: "\(dir)/good.png")
        try ImageFile.write(x, to: "\(dir)/good.jpg")
        return dir
    }

    /// Runs `ssim BAD good.npy` (or the matching good file) and checks status and message.
    func expectFailure(
        _ dir: String, _ bad: String, good: String = "good.npy", status: Int32 = 65,
        _ fragments: [String], extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let r = try CLI.run(["\(dir)/\(bad)", "\(dir)/\(good)"] + extra)
        #expect(r.status == status, "\(bad): \(r.err)", sourceLocation: sourceLocation)
        #expect(r.err.hasPrefix("Error: ") && r.out.isEmpty, "\(bad): \(r.err)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(r.err.contains(fragment), "\(bad): \(r.err)", sourceLocation: sourceLocation)
        }
    }

    @Test func missingFile() throws {
        let dir = try folder()
        try expectFailure(dir, "none.npy", ["'\(dir)/none.npy' does not exist"])
        try expectFailure(dir, "none.png", good: "good.png", ["'\(dir)/none.png' does not exist"])
    }

    @Test func corruptAndTruncatedImages() throws {
        let dir = try folder()
        try CLI.write(Data("not an image".utf8), to: "\(dir)/text.png")
        try expectFailure(dir, "text.png", good: "good.png", ["'\(dir)/text.png' is not a valid PNG"])
        let png = try CLI.bytes("\(dir)/good.png")
        try CLI.write(png.prefix(png.count / 2), to: "\(dir)/cut.png")
        try expectFailure(dir, "cut.png", good: "good.png", ["'\(dir)/cut.png' is not a valid PNG", "truncated"])
        try CLI.write(Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4]), to: "\(dir)/bad.jpg")
        try expectFailure(dir, "bad.jpg", good: "good.jpg", ["'\(dir)/bad.jpg' is not a valid JPEG"])
        try CLI.write(Data("GIF89a".utf8), to: "\(dir)/pic.gif")
        try expectFailure(dir, "pic.gif", good: "good.png", ["'\(dir)/pic.gif' is not a valid GIF", "giflib"])
        try CLI.write(Data("HEIC or so".utf8), to: "\(dir)/pic.heic")
        try expectFailure(dir, "pic.heic", good: "good.png", ["cannot tell the format of '\(dir)/pic.heic'"])
    }

    @Test func corruptAndTruncatedNpy() throws {
        let dir = try folder()
        try CLI.write(Data("PK not numpy".utf8), to: "\(dir)/zip.npy")
        try expectFailure(dir, "zip.npy", ["'\(dir)/zip.npy' is not a valid NumPy .npy file"])
        let npy = try CLI.bytes("\(dir)/good.npy")
        try CLI.write(npy.prefix(npy.count - 7), to: "\(dir)/cut.npy")
        try expectFailure(dir, "cut.npy", ["'\(dir)/cut.npy' is truncated"])
        try CLI.write(npy.prefix(20), to: "\(dir)/header.npy")
        try expectFailure(dir, "header.npy", ["'\(dir)/header.npy' is truncated"])
    }

    @Test func unsupportedDTypeAndAVolumeAgainstAnImage() throws {
        let dir = try folder()
        try CLI.write(CLI.npy(descr: "<i4", shape: [16, 16], data: Array(repeating: 0, count: 1024)), to: "\(dir)/int.npy")
        try expectFailure(dir, "int.npy", ["'\(dir)/int.npy' holds dtype '<i4'"])
        let volume = NumPyFile.encode(.float32(try Tensor(shape: [1, 1, 4, 16, 16], repeating: 0.5)))
        try CLI.write(Data(volume), to: "\(dir)/volume.npy")
        try expectFailure(dir, "volume.npy", ["'\(dir)/volume.npy' has shape [1, 1, 4, 16, 16]", "same size"])
        try expectFailure(dir, "good.npy", good: "volume.npy", ["'\(dir)/volume.npy' has shape [1, 1, 4, 16, 16]"])
        try CLI.write(CLI.npy(descr: "<f4", shape: [256], data: Array(repeating: 0, count: 1024)), to: "\(dir)/vector.npy")
        try expectFailure(dir, "vector.npy", ["'\(dir)/vector.npy' has shape (256,) (rank 1)"])
    }

    @Test func differentSizesAndTooLargeWindow() throws {
        let dir = try folder()
        try NumPyFile.write(.float32(try Tensor(shape: [1, 1, 16, 17], repeating: 0.5)), to: "\(dir)/wide.npy")
        try expectFailure(dir, "wide.npy", ["'\(dir)/wide.npy' has shape [1, 1, 16, 17]", "'\(dir)/good.npy' has shape [1, 1, 16, 16]", "same size"])
        try ImageFile.write(try Tensor<Float>(shape: [1, 3, 16, 16], repeating: 0.5), to: "\(dir)/colour.png")
        try expectFailure(dir, "colour.png", good: "good.png", ["has shape [1, 3, 16, 16]", "[1, 1, 16, 16]"])
        try expectFailure(
            dir, "good.npy", ["cannot compare '\(dir)/good.npy' and '\(dir)/good.npy'", "window size 33"],
            extra: ["--window-size", "33"])
        try expectFailure(dir, "good.npy", ["window size 17", "padding 'valid'"], extra: ["--window-size", "17", "--padding", "valid"])
    }

    @Test(arguments: ["--map", "--loss-map", "--grad"])
    func anOutputThatIsAnInputIsRefused(_ option: String) throws {
        let dir = try folder()
        let before = try CLI.bytes("\(dir)/good.npy")
        for output in ["\(dir)/good.npy", "\(dir)/./good.npy"] {
            let r = try CLI.run(["\(dir)/good.npy", "\(dir)/good.png", option, output])
            #expect(r.status == 64 && r.err.contains("refusing to write '\(output)': it is one of the input files"), "\(r.err)")
        }
        let relative = try CLI.run(["good.npy", "\(dir)/good.png", option, "\(dir)/good.npy"], in: dir)
        #expect(relative.status == 64)
        #expect(try CLI.bytes("\(dir)/good.npy") == before)
        #expect(try CLI.files(in: dir) == ["good.jpg", "good.npy", "good.png"])
    }

    @Test func aFailedRunLeavesNoOutputBehind() throws {
        let dir = try folder()
        let outputs = ["--map", "\(dir)/out/m.npy", "--loss-map", "\(dir)/out/l.npy", "--grad", "\(dir)/out/g.npy"]
        try FileManager.default.createDirectory(atPath: "\(dir)/out", withIntermediateDirectories: false)
        // Fails while computing: nothing has been written yet.
        let tooLarge = try CLI.run(["\(dir)/good.npy", "\(dir)/good.npy", "--window-size", "41"] + outputs)
        #expect(tooLarge.status == 65)
        try NumPyFile.write(.float32(try Tensor(shape: [1, 1, 16, 17], repeating: 0.5)), to: "\(dir)/wide.npy")
        let mismatch = try CLI.run(["\(dir)/good.npy", "\(dir)/wide.npy"] + outputs)
        #expect(mismatch.status == 65)
        // The last output's folder is missing: found before the first one is written.
        let missingFolder = try CLI.run([
            "\(dir)/good.npy", "\(dir)/good.png", "--map", "\(dir)/out/m.png",
            "--grad", "\(dir)/nowhere/g.npy",
        ])
        #expect(missingFolder.status == 1 && missingFolder.err.contains("cannot write '\(dir)/nowhere/g.npy'"), "\(missingFolder.err)")
        try FileManager.default.createDirectory(atPath: "\(dir)/folder.npy", withIntermediateDirectories: false)
        let intoAFolder = try CLI.run([
            "\(dir)/good.npy", "\(dir)/good.png", "--map", "\(dir)/out/m.npy",
            "--grad", "\(dir)/folder.npy",
        ])
        #expect(intoAFolder.status == 1 && intoAFolder.err.contains("cannot write '\(dir)/folder.npy': it is a folder"))
        #expect(try CLI.files(in: "\(dir)/out").isEmpty)
        #expect(try CLI.files(in: "\(dir)/folder.npy").isEmpty)
        #expect(try CLI.files(in: dir) == ["folder.npy", "good.jpg", "good.npy", "good.png", "out", "wide.npy"])
    }

    @Test func anExistingOutputIsReplacedWhole() throws {
        let dir = try folder()
        try CLI.write(Data("old".utf8), to: "\(dir)/m.npy")
        let r = try CLI.run(["\(dir)/good.npy", "\(dir)/good.npy", "--map", "\(dir)/m.npy"])
        #expect(r.status == 0)
        #expect(try NumPyFile.read("\(dir)/m.npy").array.shape == [1, 1, 16, 16])
        #expect(try CLI.files(in: dir) == ["good.jpg", "good.npy", "good.png", "m.npy"])
    }
}
