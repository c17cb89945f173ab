import Foundation
import SSIMFormats
import StructuralSimilarity
import Testing

/// `ssim IMAGE1 IMAGE2 --loss gaussian-splatting` and `--loss monodepth2`: the numbers and files
/// of the library's `SSIML1Loss` on the same inputs, and the options that do not apply refused as
/// usage errors.
@Suite struct PhotometricLossCommandTests {
    static let settings: [(loss: String, arguments: [String])] = [
        ("gaussian-splatting", []),
        ("gaussian-splatting", ["--lambda", "0.5", "--reduction", "sum"]),
        ("gaussian-splatting", ["--reduction", "none", "--window-size", "7", "--sigma", "1", "--border", "reflect"]),
        ("monodepth2", []),
        ("monodepth2", ["--reduction", "none", "--padding", "valid"]),
        ("monodepth2", ["--max-value", "2", "--k1", "0.02", "--k2", "0.05", "--eps", "1e-6"]),
        // MATLAB's general form under the mix (its own fused kernels).
        ("gaussian-splatting", ["--exponents", "1,0.5,2"]),
    ]

    /// The library's criterion for the command's arguments: the preset, then each option given.
    static func criterion(_ loss: String, _ arguments: [String]) throws -> SSIML1Loss {
        func value(_ option: String) -> String? { arguments.firstIndex(of: option).map { arguments[$0 + 1] } }
        var c = loss == "monodepth2" ? SSIML1Loss.monodepth2 : try SSIML1Loss.gaussianSplatting(lambda: Double(value("--lambda") ?? "0.2")!)
        if let v = value("--window-size") { c.options.windowSize = Int(v)! }
        if let v = value("--sigma") { c.options.sigma = Double(v)! }
        if let v = value("--border") { c.options.border = Border(rawValue: v)! }
        if let v = value("--padding") { c.options.padding = Padding(rawValue: v)! }
        if let v = value("--max-value") { c.options.dataRange = .value(Double(v)!) }
        if let v = value("--k1") { c.options.k1 = Double(v)! }
        if let v = value("--k2") { c.options.k2 = Double(v)! }
        if let v = value("--eps") { c.options.eps = Double(v)! }
        if let v = value("--exponents") {
            let e = v.split(separator: ",").map { Double($0)! }
            c.options.exponents = SSIMExponents(alpha: e[0], beta: e[1], gamma: e[2])
        }
        if let v = value("--reduction") { c.reduction = Reduction(rawValue: v)! }
        return c
    }

    /// Runs the command on `x` and `y` written as `.npy` and checks the loss, the loss map and
    /// the gradient against the library's on the same tensors.
    func expectLibraryNumbers<Scalar: SSIMScalar>(_ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ loss: String, _ arguments: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        func array(_ t: Tensor<Scalar>) -> NumPyArray {
            Scalar.self == Double.self ? .float64(t as! Tensor<Double>) : .float32(t as! Tensor<Float>)
        }
        try NumPyFile.write(array(x), to: "\(dir)/a.npy")
        try NumPyFile.write(array(y), to: "\(dir)/b.npy")
        let r = try CLI.run(
            ["\(dir)/a.npy", "\(dir)/b.npy", "--loss", loss, "--json", "--loss-map", "\(dir)/l.npy", "--grad", "\(dir)/g.npy"] + arguments)
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let c = try Self.criterion(loss, arguments)
        let (value, gradient) = try c.valueWithGradient(x, y)
        var unreduced = c
        unreduced.reduction = .none
        let lossMap = try unreduced(x, y)
        // The value printed comes from the backward pass (--grad), which sums as the forward does.
        let expected = c.reduction == .none ? CLI.meanSSIM(value) : Double(value.scalar)
        #expect(abs(try CLI.number("loss", in: r.out) - expected) <= 1e-12 * abs(expected), "\(r.out)")
        #expect(try NumPyFile.read("\(dir)/l.npy").array == array(lossMap))
        #expect(try NumPyFile.read("\(dir)/g.npy").array == array(gradient))
        let object = try CLI.object(r.out)
        #expect(object["ssim"] is NSNull)
        #expect(object["lossFunction"] as? String == loss && object["convention"] as? String == loss)
        #expect(object["ssimWeight"] as? Double == c.ssimWeight && object["l1Weight"] as? Double == c.l1Weight)
        #expect(object["ssimTerm"] as? String == c.ssimTerm.rawValue)
        #expect(object["windowSize"] as? Int == c.options.windowSize && object["border"] as? String == c.options.border.rawValue)
        #expect(object["padding"] as? String == c.options.padding.rawValue && object["reduction"] as? String == c.reduction.rawValue)
    }

    @Test(arguments: settings) func float64MatchesTheLibraryExactly(_ setting: (loss: String, arguments: [String])) throws {
        let x: Tensor<Double> = try CLI.pattern([2, 3, 14, 13], 37, 101)
        let y: Tensor<Double> = try CLI.pattern([2, 3, 14, 13], 53, 97)
        try expectLibraryNumbers(x, y, setting.loss, setting.arguments)
    }

    @Test(arguments: settings) func float32MatchesTheLibraryExactly(_ setting: (loss: String, arguments: [String])) throws {
        let x: Tensor<Float> = try CLI.pattern([1, 3, 15, 16], 37, 101)
        let y: Tensor<Float> = try CLI.pattern([1, 3, 15, 16], 53, 97)
        try expectLibraryNumbers(x, y, setting.loss, setting.arguments)
    }

    /// PNG inputs: the library's loss on the images as the command decodes them, and the line.
    @Test(arguments: ["gaussian-splatting", "monodepth2"]) func theLineOfTwoPNGs(_ loss: String) throws {
        let dir = try CLI.temporaryDirectory()
        try ImageFile.write(try CLI.pattern([1, 3, 20, 24], 7, 23) as Tensor<Float>, to: "\(dir)/a.png")
        try ImageFile.write(try CLI.pattern([1, 3, 20, 24], 11, 29) as Tensor<Float>, to: "\(dir)/b.png")
        let x = try ImageFile.read("\(dir)/a.png").tensor, y = try ImageFile.read("\(dir)/b.png").tensor
        let r = try CLI.run(["\(dir)/a.png", "\(dir)/b.png", "--loss", loss])
        #expect(r.status == 0, "\(r.err)")
        let expected = String(format: "%.8f", Double(try Self.criterion(loss, [])(x, y).scalar))
        #expect(r.out == "SSIM+L1 loss (\(loss), mean) \(expected)  \(dir)/a.png vs \(dir)/b.png\n")
    }

    @Test(arguments: [
        (["--lambda", "0.5"], "--lambda applies only to --loss gaussian-splatting"),
        (["--loss", "monodepth2", "--lambda", "0.5"], "--lambda applies only to --loss gaussian-splatting"),
        (["--loss", "gaussian-splatting", "--lambda", "1.5"], "--loss gaussian-splatting: "),
        (["--loss", "gaussian-splatting", "--lambda", "x"], "--lambda takes a number, not 'x'"),
        (["--loss", "gaussian-splatting", "--convention", "scikit-image"], "--convention does not apply to --loss gaussian-splatting"),
        (["--loss", "monodepth2", "--map", "m.png"], "--map does not apply to --loss monodepth2"),
        (["--loss", "monodepth2", "--min-ssim", "0.9"], "--min-ssim does not apply to --loss monodepth2"),
        (["--loss", "gaussian-splatting", "--mask", "m.png"], "--mask does not apply to --loss gaussian-splatting"),
        (["--loss", "gaussian-splatting", "--stats"], "--stats does not apply to --loss gaussian-splatting"),
        (["--loss", "gaussian-splatting", "--sigmas", "1,2"], "--sigmas does not apply to --loss gaussian-splatting"),
        (["--loss", "monodepth2", "--loss-map", "l.png"], "--loss-map writes .npy files"),
        (["--loss", "splatting"], "--loss takes one of ssim, ms-ssim, gaussian-splatting, monodepth2"),
    ])
    func optionsThatDoNotApplyAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let r = try CLI.run(["a.png", "b.png"] + arguments)
        #expect(r.status == 64)
        #expect(r.err.contains(message), "\(r.err)")
    }

    @Test func foldersAreRefused() throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(dir)/one", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/two", withIntermediateDirectories: true)
        let r = try CLI.run(["\(dir)/one", "\(dir)/two", "--loss", "monodepth2"])
        #expect(r.status == 64)
        #expect(r.err.contains("--loss monodepth2 compares two files"), "\(r.err)")
    }
}
