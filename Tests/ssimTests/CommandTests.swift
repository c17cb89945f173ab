import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// Runs the built `ssim` binary and checks its output and exit status.
@Suite struct CommandTests {
    static var binary: URL {
        // The test bundle sits beside the built products.
        var url = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("ssim").path) && url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("ssim")
    }

    func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "ssim-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func helpAndVersion() throws {
        let help = try run(["--help"])
        #expect(help.status == 0 && help.out.contains("OVERVIEW") && help.out.contains("--window-size"))
        #expect(try run(["--version"]).out.hasPrefix("ssim "))
    }

    @Test func usageErrorsExit64() throws {
        for arguments in [["--bogus"], ["a.npy"], ["a.npy", "b.npy", "--padding", "full"], ["a", "b", "--window-size", "x"]] {
            let r = try run(arguments)
            #expect(r.status == 64, "\(arguments)")
            #expect(r.err.hasPrefix("Error: "), "\(arguments)")
        }
    }

    @Test func comparesNpyLikeTheLibrary() throws {
        let dir = try temporaryDirectory()
        let x = try Tensor<Double>(shape: [1, 2, 16, 15], scalars: (0..<480).map { Double(($0 * 37) % 101) / 100 })
        let y = try Tensor<Double>(shape: [1, 2, 16, 15], scalars: (0..<480).map { Double(($0 * 53) % 97) / 96 })
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float64(y), to: "\(dir)/b.npy")
        let r = try run(["\(dir)/a.npy", "\(dir)/b.npy", "--json", "--window-size", "7", "--grad", "\(dir)/g.npy"])
        #expect(r.status == 0, "\(r.err)")
        let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let loss = try ssimLoss(x, y, windowSize: 7).scalar
        // Printed with Swift's shortest round-trip form; Foundation's JSON parser may land 1 ulp away.
        #expect(abs((object["loss"] as? Double ?? .nan) - loss) <= 2 * loss.ulp)
        #expect(object["dtype"] as? String == "float64")
        #expect(object["shape"] as? [Int] == [1, 2, 16, 15])
        let (_, gradient) = try ssimLossWithGradient(x, y, windowSize: 7)
        #expect(try NumPyFile.read("\(dir)/g.npy").array == .float64(gradient))
    }

    @Test func badDataExits65AndInputsAreNeverOverwritten() throws {
        let dir = try temporaryDirectory()
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: "\(dir)/a.png"))
        let corrupt = try run(["\(dir)/a.png", "\(dir)/a.png"])
        #expect(corrupt.status == 65 && corrupt.err.hasPrefix("Error: "))
        let missing = try run(["\(dir)/none.png", "\(dir)/none.png"])
        #expect(missing.status == 65)
        let x = try Tensor<Float>(shape: [1, 1, 8, 8], repeating: 0.5)
        try NumPyFile.write(.float32(x), to: "\(dir)/x.npy")
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/x.npy"))
        let overwrite = try run(["\(dir)/x.npy", "\(dir)/x.npy", "--map", "\(dir)/x.npy"])
        #expect(overwrite.status != 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/x.npy")) == before)
        let tooSmall = try run(["\(dir)/x.npy", "\(dir)/x.npy", "--window-size", "31"])
        #expect(tooSmall.status == 65 && tooSmall.err.contains("window size"))
    }
}
