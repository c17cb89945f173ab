import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// `ssim a b --convention NAME` and the options that override a convention, checked against
/// the library by running the built binary.
@Suite struct ConventionCommandTests {
    func pair() throws -> (String, Tensor<Double>, Tensor<Double>) {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Double> = try CLI.pattern([1, 3, 24, 22], 37, 101)
        let y: Tensor<Double> = try CLI.pattern([1, 3, 24, 22], 41, 103)
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float64(y), to: "\(dir)/b.npy")
        return (dir, x, y)
    }

    @Test("Each convention prints the library's numbers and its name", arguments: SSIMConvention.allCases)
    func conventions(_ convention: SSIMConvention) throws {
        let (dir, x, y) = try pair()
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--json", "--convention", convention.rawValue, "--grad", "\(dir)/g.npy"])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let options = convention.options
        #expect(try CLI.number("ssim", in: r.out) == CLI.meanSSIM(x, y, options: options))
        #expect(try CLI.number("loss", in: r.out) == (try ssimLoss(x, y, options: options).scalar))
        #expect(try NumPyFile.read("\(dir)/g.npy").array == .float64(try ssimLossWithGradient(x, y, options: options).gradient))
        let object = try CLI.object(r.out)
        #expect(object["convention"] as? String == convention.rawValue)
        #expect(object["windowSize"] as? Int == options.windowSize)
        #expect(object["padding"] as? String == options.padding.rawValue)
        #expect(object["border"] as? String == options.border.rawValue)
        if let maxValue = options.maxValue { #expect(object["maxValue"] as? Double == maxValue) } else { #expect(object["maxValue"] is NSNull) }
    }

    @Test func optionsOverrideTheConvention() throws {
        let (dir, x, y) = try pair()
        let r = try CLI.run([
            "\(dir)/a.npy", "\(dir)/b.npy", "--json", "--convention", "scikit-image", "--sigma", "2",
            "--window-size", "9", "--border", "zero", "--padding", "same", "--k1", "0.02", "--k2", "0.05",
            "--max-value", "2",
        ])
        #expect(r.status == 0, "\(r.err)")
        var o = SSIMOptions.scikitImage
        o.sigma = 2; o.windowSize = 9; o.border = .zero; o.padding = .same; o.k1 = 0.02; o.k2 = 0.05; o.dataRange = .value(2)
        #expect(try CLI.number("ssim", in: r.out) == CLI.meanSSIM(x, y, options: o))
        let object = try CLI.object(r.out)
        #expect(object["sigma"] as? Double == 2 && object["k1"] as? Double == 0.02 && object["border"] as? String == "zero")
        #expect(object["covariance"] == nil)  // not a key: the convention names it
    }

    @Test func theLineNamesAConventionOtherThanKornia() throws {
        let (dir, _, _) = try pair()
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--convention", "matlab"])
        #expect(r.status == 0 && r.out.hasSuffix("b.npy  [matlab]\n"), "\(r.out)")
        let kornia = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy"])
        #expect(kornia.out.hasSuffix("b.npy\n"))
    }

    @Test(
        arguments: [
            (
                ["a", "b", "--convention", "opencv"],
                "--convention takes one of kornia, scikit-image, scikit-image-gaussian, torchmetrics, pytorch-msssim, tensorflow, piq, matlab, ffmpeg, not 'opencv'"
            ),
            (["a", "b", "--sigma", "0"], "--sigma must be finite and positive"),
            (["a", "b", "--k1", "-1"], "--k1 must be finite and not negative"),
            (["a", "b", "--k2", "inf"], "--k2 must be finite and not negative"),
            (["a", "b", "--border", "wrap"], "--border takes one of reflect, symmetric, replicate, zero, not 'wrap'"),
            (["a", "b", "--convention", "scikit-image", "--window-size", "1"], "covariance 'population'"),
            (["demo", "--convention", "piq"], "--convention is for comparisons"),
        ] as [([String], String)])
    func usageErrors(_ arguments: [String], _ message: String) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 64, "\(arguments)")
        #expect(r.err.hasPrefix("Error: ") && r.err.contains(message), "\(arguments): \(r.err)")
    }

    @Test(arguments: [["--convention", "scikit-image"], ["--sigma", "2"], ["--border", "zero"], ["--k1", "0.02"]])
    func volumesTakeKorniasConventionOnly(_ arguments: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 1, 7, 9, 8], 37, 101)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/a.npy", "--window-size", "5"] + arguments)
        #expect(r.status == 64 && r.err.contains("compared with Kornia's 3-D SSIM only"), "\(arguments): \(r.err)")
        let kornia = try CLI.run(["\(dir)/a.npy", "\(dir)/a.npy", "--window-size", "5", "--convention", "kornia", "--max-value", "2"])
        #expect(kornia.status == 0, "\(kornia.err)")
    }

    @Test func imagesTooSmallForTheConventionAreDataErrors() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Double> = try CLI.pattern([1, 1, 8, 8], 37, 101)
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/a.npy", "--convention", "tensorflow"])
        #expect(r.status == 65 && r.err.contains("padding 'valid'"), "\(r.err)")
    }
}
