import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// `ssim DIR1 DIR2`: pairs by name, one-sided files, failed pairs, the summary and JSON lines.
@Suite struct FolderComparisonTests {
    /// Two folders: `names` in both (float64 .npy pairs of decreasing similarity), plus
    /// `left.npy` only in A, `right.png` only in B and `notes.txt` in both (ignored).
    func folders(_ names: [String]) throws -> (root: String, a: String, b: String, tensors: [String: (Tensor<Double>, Tensor<Double>)]) {
        let root = try CLI.temporaryDirectory()
        let a = "\(root)/A", b = "\(root)/B"
        for folder in [a, b] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            try CLI.write(Data("text".utf8), to: "\(folder)/notes.txt")
        }
        var tensors: [String: (Tensor<Double>, Tensor<Double>)] = [:]
        for (index, name) in names.enumerated() {
            let x: Tensor<Double> = try CLI.pattern([1, 1, 16, 16], 37, 101)
            let y = try Tensor<Double>(
                shape: x.shape,
                scalars: zip(x.scalars, (try CLI.pattern([1, 1, 16, 16], 53, 97) as Tensor<Double>).scalars)
                    .map { $0 + Double(index) / 8 * ($1 - $0) })
            try NumPyFile.write(.float64(x), to: "\(a)/\(name)")
            try NumPyFile.write(.float64(y), to: "\(b)/\(name)")
            tensors[name] = (x, y)
        }
        try NumPyFile.write(.float64(try Tensor(shape: [1, 1, 16, 16], repeating: 0)), to: "\(a)/left.npy")
        try ImageFile.write(try Tensor<Float>(shape: [1, 1, 16, 16], repeating: 0), to: "\(b)/right.png")
        return (root, a, b, tensors)
    }

    @Test func comparesEveryPairAndReportsOneSidedFiles() throws {
        let names = ["p1.npy", "p2.npy", "p3.npy", "p4.npy", "p5.npy", "p6.npy", "p7.npy"]
        let (_, a, b, tensors) = try folders(names)
        let r = try CLI.run([a, b, "--json", "--window-size", "7"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("Warning: 'left.npy' is only in '\(a)'"))
        #expect(r.err.contains("Warning: 'right.png' is only in '\(b)'"))
        #expect(!r.err.contains("notes.txt") && !r.err.contains("\r"), "no progress bar in a pipe")
        let lines = r.lines
        #expect(lines.count == names.count + 1)
        for (line, name) in zip(lines, names) {
            let object = try CLI.object(line)
            #expect(object["image1"] as? String == "\(a)/\(name)" && object["image2"] as? String == "\(b)/\(name)")
            let (x, y) = tensors[name]!
            #expect(try CLI.number("ssim", in: line) == CLI.meanSSIM(x, y, options: CLI.kornia(windowSize: 7)))
            #expect(try CLI.number("loss", in: line) == (try ssimLoss(x, y, windowSize: 7).scalar))
        }
        let summary = try #require(try CLI.object(lines.last!)["summary"] as? [String: Any])
        #expect(summary["compared"] as? Int == 7 && summary["failed"] as? Int == 0)
        #expect(summary["onlyInFolder1"] as? [String] == ["left.npy"])
        #expect(summary["onlyInFolder2"] as? [String] == ["right.png"])
        let lowest = try #require(summary["lowest"] as? [[String: Any]])
        #expect(lowest.compactMap { $0["name"] as? String } == ["p7.npy", "p6.npy", "p5.npy", "p4.npy", "p3.npy"])
        let ssims = names.map { try! CLI.meanSSIM(tensors[$0]!.0, tensors[$0]!.1, options: CLI.kornia(windowSize: 7)) }
        let mean = try CLI.number("meanSSIM", in: lines.last!)
        #expect(abs(mean - ssims.reduce(0, +) / 7) <= 1e-15)
    }

    @Test func aFailedPairIsReportedAndTheOthersCompared() throws {
        let (_, a, b, _) = try folders(["good1.npy", "good2.npy"])
        try CLI.write(Data("garbage".utf8), to: "\(a)/broken.png")
        try ImageFile.write(try Tensor<Float>(shape: [1, 1, 16, 16], repeating: 0.5), to: "\(b)/broken.png")
        try NumPyFile.write(.float32(try Tensor(shape: [1, 1, 16, 16], repeating: 0.5)), to: "\(a)/sizes.npy")
        try NumPyFile.write(.float32(try Tensor(shape: [1, 1, 8, 16], repeating: 0.5)), to: "\(b)/sizes.npy")

        let text = try CLI.run([a, b])
        #expect(text.status == 65)
        #expect(text.err.contains("Error: '\(a)/broken.png' is not a valid PNG"))
        #expect(text.err.contains("Error: '\(a)/sizes.npy' has shape [1, 1, 16, 16] but '\(b)/sizes.npy' has shape [1, 1, 8, 16]"))
        #expect(text.out.contains("\(a)/good1.npy vs \(b)/good1.npy") && text.out.contains("\(a)/good2.npy vs \(b)/good2.npy"))
        #expect(text.out.contains("2 pairs compared, 2 failed; mean SSIM"))
        #expect(text.out.contains("Lowest SSIM:") && text.out.contains("Failed:\n  broken.png: "))
        #expect(text.out.contains("Only in '\(a)': left.npy") && text.out.contains("Only in '\(b)': right.png"))

        let json = try CLI.run([a, b, "--json"])
        #expect(json.status == 65)
        let objects = try json.lines.map(CLI.object)
        #expect(objects.count == 5)
        let broken = objects[0]
        #expect(broken["image1"] as? String == "\(a)/broken.png" && broken["status"] as? Int == 65)
        #expect((broken["error"] as? String)?.contains("is not a valid PNG") == true)
        #expect(objects[1]["ssim"] is Double && objects[2]["ssim"] is Double)
        #expect((objects[3]["error"] as? String)?.contains("same size") == true)
        let summary = try #require(objects[4]["summary"] as? [String: Any])
        #expect(summary["compared"] as? Int == 2 && summary["failed"] as? Int == 2)
        #expect((summary["failures"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["broken.png", "sizes.npy"])
    }

    @Test func outputsGoToFoldersOneFilePerPair() throws {
        let (root, a, b, tensors) = try folders(["x.npy", "y.npy"])
        let r = try CLI.run([a, b, "--map", "\(root)/maps", "--loss-map", "\(root)/out", "--grad", "\(root)/out"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try CLI.files(in: "\(root)/maps") == ["x.npy.ssim-map.png", "y.npy.ssim-map.png"])
        #expect(try CLI.files(in: "\(root)/out") == ["x.npy.grad.npy", "x.npy.loss-map.npy", "y.npy.grad.npy", "y.npy.loss-map.npy"])
        let (x, y) = tensors["y.npy"]!
        #expect(try NumPyFile.read("\(root)/out/y.npy.grad.npy").array == .float64(try ssimLossWithGradient(x, y, windowSize: 11).gradient))
        #expect(try NumPyFile.read("\(root)/out/y.npy.loss-map.npy").array == .float64(try ssimLoss(x, y, windowSize: 11, reduction: .none)))
        #expect(try CLI.bytes("\(root)/maps/y.npy.ssim-map.png") == Data(try ImageFile.encodePNG(try HeatMap().render(try ssim(x, y, windowSize: 11)))))
    }

    @Test func anOutputFolderThatIsAnInputFolderIsRefused() throws {
        let (root, a, b, _) = try folders(["x.npy"])
        let before = try CLI.files(in: a)
        for output in [a, b, "\(root)/./B"] {
            let r = try CLI.run([a, b, "--grad", output])
            #expect(r.status == 64 && r.err.contains("is one of the folders being compared"), "\(r.err)")
        }
        try CLI.write(Data(), to: "\(root)/file")
        let file = try CLI.run([a, b, "--map", "\(root)/file"])
        #expect(file.status == 64 && file.err.contains("takes a folder"))
        #expect(try CLI.files(in: a) == before)
    }

    @Test func foldersWithoutNamesakesAreAnError() throws {
        let root = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(root)/A", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: "\(root)/B", withIntermediateDirectories: false)
        try ImageFile.write(try Tensor<Float>(shape: [1, 1, 16, 16], repeating: 0), to: "\(root)/A/a.png")
        let r = try CLI.run(["\(root)/A", "\(root)/B"])
        #expect(r.status == 65 && r.err.contains("Warning: 'a.png' is only in") && r.err.contains("namesake"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aProgressBarOnlyOnATerminal() throws {
        let (_, a, b, _) = try folders(["x.npy", "y.npy"])
        // `script` runs the command with a terminal as its standard error.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "'\(CLI.binary.path)' '\(a)' '\(b)' >/dev/null", "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let terminal = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(terminal.contains("] 1/2  y.npy"), "\(terminal)")
        #expect(terminal.hasSuffix("\r\u{1B}[K"), "the bar is erased at the end")
    }
}
