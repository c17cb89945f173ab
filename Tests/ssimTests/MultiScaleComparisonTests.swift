import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// `ssim IMAGE1 IMAGE2 --loss ms-ssim`: the numbers and files of `MSSSIMLoss`, and the options
/// that do not apply refused as usage errors.
@Suite struct MultiScaleComparisonTests {
    static let settings: [[String]] = [
        [],
        ["--sigmas", "0.5,1,2", "--alpha", "0.5", "--compensation", "1"],
        ["--max-value", "2", "--reduction", "sum", "--k1", "0.02", "--k2", "0.05"],
        ["--reduction", "none", "--sigmas", "1"],
    ]

    func criterion(_ arguments: [String]) throws -> MSSSIMLoss {
        func value(_ option: String) -> String? { arguments.firstIndex(of: option).map { arguments[$0 + 1] } }
        let sigmas = (value("--sigmas") ?? "0.5,1,2,4,8").split(separator: ",").map { Double($0)! }
        return try MSSSIMLoss(
            sigmas: sigmas, dataRange: Double(value("--max-value") ?? "1")!,
            k: (Double(value("--k1") ?? "0.01")!, Double(value("--k2") ?? "0.03")!), alpha: Double(value("--alpha") ?? "0.025")!,
            compensation: Double(value("--compensation") ?? "200")!, reduction: Reduction(rawValue: value("--reduction") ?? "mean")!)
    }

    @Test(arguments: settings) func float64MatchesTheLibraryExactly(_ arguments: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Double> = try CLI.pattern([2, 2, 12, 11], 37, 101)
        let y: Tensor<Double> = try CLI.pattern([2, 2, 12, 11], 53, 97)
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float64(y), to: "\(dir)/b.npy")
        let r = try CLI.run(
            [
                "\(dir)/a.npy", "\(dir)/b.npy", "--loss", "ms-ssim", "--json",
                "--loss-map", "\(dir)/l.npy", "--grad", "\(dir)/g.npy",
            ] + arguments)
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let c = try criterion(arguments)
        let loss = try c(x, y)
        var unreduced = try MSSSIMLoss(sigmas: c.sigmas, dataRange: c.dataRange, k: c.k, alpha: c.alpha, compensation: c.compensation, reduction: .none)
        let (_, gradient) = try c.valueWithGradient(x, y)
        // With --grad the value comes from the backward pass: equal up to rounding.
        let expectedLoss = c.reduction == .none ? CLI.meanSSIM(loss) : loss.scalar
        #expect(abs(try CLI.number("loss", in: r.out) - expectedLoss) <= 1e-12 * abs(expectedLoss))
        // A (B, H, W) file: read back as (1, B, H, W), its stored shape kept.
        let lossMap = try NumPyFile.read("\(dir)/l.npy"), expectedMap = try unreduced(x, y)
        #expect(lossMap.storedShape == expectedMap.shape)
        #expect(lossMap.array == .float64(try Tensor(shape: [1] + expectedMap.shape, scalars: expectedMap.scalars)))
        #expect(try NumPyFile.read("\(dir)/g.npy").array == .float64(gradient))
        let object = try CLI.object(r.out)
        #expect(object["ssim"] is NSNull)
        #expect(object["lossFunction"] as? String == "ms-ssim")
        #expect(object["padding"] as? String == "zero")
        #expect(object["windowSize"] as? Int == 2 * Int(2 * c.sigmas.last!) + 1)
        #expect((object["sigmas"] as? [Double]) == c.sigmas)
        #expect(object["convention"] as? String == "kornia" && object["border"] as? String == "zero")
        #expect(object["k1"] as? Double == c.k1 && object["k2"] as? Double == c.k2)
        unreduced = c
    }

    @Test func theLineNamesTheLoss() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 3, 9, 10], 37, 101)
        let y: Tensor<Float> = try CLI.pattern([1, 3, 9, 10], 53, 97)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/b.npy")
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--loss", "ms-ssim"])
        #expect(r.status == 0, "\(r.err)")
        let expected = String(format: "%.8f", Double(try MSSSIMLoss()(x, y).scalar))
        #expect(r.out == "MS-SSIM+L1 loss (mean) \(expected)  \(dir)/a.npy vs \(dir)/b.npy\n")
    }

    @Test(arguments: [
        (["--loss", "ms-ssim", "--window-size", "7"], "--window-size does not apply to --loss ms-ssim"),
        (["--loss", "ms-ssim", "--eps", "0"], "--eps does not apply to --loss ms-ssim"),
        (["--loss", "ms-ssim", "--padding", "valid"], "--padding does not apply to --loss ms-ssim"),
        (["--loss", "ms-ssim", "--map", "m.png"], "--map does not apply to --loss ms-ssim"),
        (["--loss", "ms-ssim", "--convention", "scikit-image"], "--convention does not apply to --loss ms-ssim"),
        (["--loss", "ms-ssim", "--border", "zero"], "--border does not apply to --loss ms-ssim"),
        (["--sigmas", "1,2"], "--sigmas applies only to --loss ms-ssim"),
        (["--alpha", "0.5"], "--alpha applies only to --loss ms-ssim"),
        (["--loss", "ms-ssim", "--alpha", "2"], "alpha 2.0 must lie in [0, 1]"),
        (["--loss", "ms-ssim", "--sigmas", "1,x"], "--sigmas takes numbers separated by commas"),
        (["--loss", "ms-ssim", "--sigmas", "1,-2"], "sigmas [1.0, -2.0] must be"),
        (["--loss", "ms-ssim", "--compensation", "inf"], "compensation inf must be finite"),
        (["--loss", "msssim"], "--loss takes one of ssim, ms-ssim"),
    ])
    func optionsThatDoNotApplyAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let r = try CLI.run(["a.png", "b.png"] + arguments)
        #expect(r.status == 64)
        #expect(r.err.contains(message), "\(r.err)")
    }

    @Test func theLossMapAsAHeatMap() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 3, 9, 10], 37, 101)
        let y: Tensor<Float> = try CLI.pattern([1, 3, 9, 10], 53, 97)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/b.npy")
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--loss", "ms-ssim", "--loss-map", "\(dir)/l.png"])
        #expect(r.status == 0, "\(r.err)")
        let expected = try HeatMap(scale: .automatic).render(values: try MSSSIMLoss(reduction: .none)(x, y))
        let written = try ImageFile.read("\(dir)/l.png")
        #expect(written.width == expected.width && written.height == expected.height)
        // A batch of two has no single heat-map.
        let x2: Tensor<Float> = try CLI.pattern([2, 3, 9, 10], 37, 101)
        try NumPyFile.write(.float32(x2), to: "\(dir)/a2.npy")
        let r2 = try CLI.run(["\(dir)/a2.npy", "\(dir)/b.npy", "--loss", "ms-ssim", "--loss-map", "\(dir)/l2.png"])
        #expect(r2.status == 65 && r2.err.contains("a heat-map shows one image"), "\(r2.err)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/l2.png"))
    }

    @Test func foldersAreRefused() throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(dir)/one", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/two", withIntermediateDirectories: true)
        let r = try CLI.run(["\(dir)/one", "\(dir)/two", "--loss", "ms-ssim"])
        #expect(r.status == 64)
        #expect(r.err.contains("--loss ms-ssim compares two files"))
    }
}
