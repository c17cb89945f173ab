import Foundation
import SSIMFormats
import StructuralSimilarity
import Testing

/// `ssim A B --metric ms-ssim`: Wang's multi-scale SSIM on the command line, its line, its JSON,
/// its options and errors, folders and volumes.
@Suite struct WangMSSSIMCommandTests {
    /// Two 180 x 184 RGB PNGs: a pattern and a noisier copy, and their decoded tensors.
    static func pair(in dir: String) throws -> (String, String, Tensor<Float>, Tensor<Float>) {
        let a: Tensor<Float> = try CLI.pattern([1, 3, 180, 184], 7, 251)
        let b = try Tensor(shape: a.shape, scalars: a.scalars.enumerated().map { i, v in min(1, max(0, v + Float((i * 31) % 17) / 200 - 0.04)) })
        try ImageFile.write(a, to: "\(dir)/a.png")
        try ImageFile.write(b, to: "\(dir)/b.png")
        return ("\(dir)/a.png", "\(dir)/b.png", try ImageFile.read("\(dir)/a.png").tensor, try ImageFile.read("\(dir)/b.png").tensor)
    }

    @Test func printsWangsMSSSIMAndTheConventionsOwn() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, x, y) = try Self.pair(in: dir)
        let wang = try multiScaleSSIM(x, y, options: .wang).scalars[0]
        let r = try CLI.run([a, b, "--metric", "ms-ssim"])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        #expect(r.out == "MS-SSIM \(String(format: "%.8f", Double(wang)))  \(a) vs \(b)\n")
        var o = MultiScaleSSIMOptions.pytorchMSSSIM
        o.dataRange = .value(1)
        let pytorch = try multiScaleSSIM(x, y, options: o).scalars[0]
        let p = try CLI.run([a, b, "--metric", "ms-ssim", "--convention", "pytorch-msssim", "--max-value", "1"])
        #expect(p.out == "MS-SSIM \(String(format: "%.8f", Double(pytorch)))  \(a) vs \(b)  [pytorch-msssim]\n", "\(p.err)")
        #expect(wang != pytorch)
    }

    @Test func jsonHasTheMetricTheValueAndTheSettings() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, x, y) = try Self.pair(in: dir)
        let r = try CLI.run([a, b, "--metric", "ms-ssim", "--convention", "torchmetrics", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let object = try CLI.object(r.out)
        #expect(object["metric"] as? String == "ms-ssim" && object["convention"] as? String == "torchmetrics")
        #expect(object["maxValue"] is NSNull && object["windowSize"] as? Int == 11)
        // Foundation's parser may land 1 ulp from the printed shortest form (see CLI.number).
        let weights = try #require(object["weights"] as? [Double])
        #expect(weights.count == 5 && zip(weights, MultiScaleSSIMOptions.torchmetrics.weights).allSatisfy { abs($0 - $1) <= 1e-15 })
        #expect(try CLI.number("msssim", in: r.out) == Double(try multiScaleSSIM(x, y, options: .torchmetrics).scalars[0]))
    }

    @Test func fewerWeightsTakeSmallerImagesAndTheErrorSaysSo() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 1, 60, 64], 5, 97)
        let y: Tensor<Float> = try CLI.pattern([1, 1, 60, 64], 11, 89)
        try ImageFile.write(x, to: "\(dir)/a.png")
        try ImageFile.write(y, to: "\(dir)/b.png")
        let tooSmall = try CLI.run(["\(dir)/a.png", "\(dir)/b.png", "--metric", "ms-ssim"])
        #expect(tooSmall.status == 65 && tooSmall.err.contains("at least 176") && tooSmall.err.contains("fewer weights"), "\(tooSmall.err)")
        let r = try CLI.run(["\(dir)/a.png", "\(dir)/b.png", "--metric", "ms-ssim", "--weights", "0.5,0.5", "--json"])
        #expect(r.status == 0, "\(r.err)")
        var o = MultiScaleSSIMOptions.wang
        o.weights = [0.5, 0.5]
        let (images1, images2) = (try ImageFile.read("\(dir)/a.png").tensor, try ImageFile.read("\(dir)/b.png").tensor)
        #expect(try CLI.number("msssim", in: r.out) == Double(try multiScaleSSIM(images1, images2, options: o).scalars[0]))
    }

    @Test func minMSSSIMExitsWith3WhenBelow() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, x, y) = try Self.pair(in: dir)
        let value = Double(try multiScaleSSIM(x, y).scalars[0])
        let below = try CLI.run([a, b, "--metric", "ms-ssim", "--min-msssim", "\(value + 0.001)"])
        #expect(below.status == 3 && below.out.hasSuffix("BELOW --min-msssim \(value + 0.001)\n"), "\(below.out)")
        #expect(try CLI.run([a, b, "--metric", "ms-ssim", "--min-msssim", "\(value - 0.001)"]).status == 0)
        let json = try CLI.object(try CLI.run([a, b, "--metric", "ms-ssim", "--min-msssim", "\(value + 0.001)", "--json"]).out)
        #expect(json["passed"] as? Bool == false)
    }

    @Test func gradientIsThatOfTheMeanLoss() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, x, y) = try Self.pair(in: dir)
        let r = try CLI.run([a, b, "--metric", "ms-ssim", "--grad", "\(dir)/g.npy"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try NumPyFile.read("\(dir)/g.npy").array == .float32(try multiScaleSSIMLossWithGradient(x, y).gradient))
    }

    @Test func foldersAndVolumes() throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(dir)/one", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/two", withIntermediateDirectories: true)
        let (a, b, x, y) = try Self.pair(in: dir)
        try FileManager.default.copyItem(atPath: a, toPath: "\(dir)/one/p.png")
        try FileManager.default.copyItem(atPath: b, toPath: "\(dir)/two/p.png")
        let folders = try CLI.run(["\(dir)/one", "\(dir)/two", "--metric", "ms-ssim"])
        let value = String(format: "%.8f", Double(try multiScaleSSIM(x, y).scalars[0]))
        #expect(folders.status == 0 && folders.out.contains("mean MS-SSIM \(value)") && folders.out.contains("Lowest MS-SSIM:"), "\(folders.out)")
        let summary = try CLI.run(["\(dir)/one", "\(dir)/two", "--metric", "ms-ssim", "--json"]).out.split(separator: "\n").last!
        #expect(((try CLI.object(String(summary)))["summary"] as? [String: Any])?["metric"] as? String == "ms-ssim")
        // Volumes: pytorch-msssim's 5-D ms_ssim.
        let v1: Tensor<Float> = try CLI.pattern([1, 1, 12, 40, 44], 37, 101)
        let v2: Tensor<Float> = try CLI.pattern([1, 1, 12, 40, 44], 41, 103)
        try NumPyFile.write(.float32(v1), to: "\(dir)/v1.npy")
        try NumPyFile.write(.float32(v2), to: "\(dir)/v2.npy")
        let volume = try CLI.run(
            ["\(dir)/v1.npy", "\(dir)/v2.npy", "--metric", "ms-ssim", "--convention", "pytorch-msssim", "--window-size", "3", "--sigma", "0.5", "--json"])
        #expect(volume.status == 0, "\(volume.err)")
        var o = MultiScaleSSIMOptions.pytorchMSSSIM
        o.windowSize = 3
        o.window = .gaussianFloat32(sigma: 0.5)
        #expect(try CLI.number("msssim", in: volume.out) == Double(try multiScaleSSIM(v1, v2, options: o).scalars[0]))
    }

    @Test func optionsThatDoNotApplyAreUsageErrors() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, _, _) = try Self.pair(in: dir)
        let cases: [([String], String)] = [
            (["--metric", "ms-ssim", "--map", "\(dir)/m.png"], "--map does not apply to --metric ms-ssim"),
            (["--metric", "ms-ssim", "--loss", "ms-ssim"], "--loss does not apply to --metric ms-ssim"),
            (["--metric", "ms-ssim", "--convention", "kornia"], "--convention takes one of wang, pytorch-msssim"),
            (["--metric", "ms-ssim", "--weights", "0.5,x"], "--weights takes numbers separated by commas"),
            (["--metric", "ms-ssim", "--weights", "0.5,-1"], "weights [0.5, -1.0] must be"),
            (["--weights", "0.5,0.5"], "--weights applies only to --metric ms-ssim"),
            (["--metric", "wang"], "--metric takes one of ssim, ms-ssim"),
        ]
        for (options, message) in cases {
            let r = try CLI.run([a, b] + options)
            #expect(r.status == 64 && r.err.contains(message), "\(options): \(r.err)")
        }
    }
}
