import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// The numbers and output files of `ssim IMAGE1 IMAGE2`, checked against the library.
@Suite struct ComparisonTests {
    static let settings: [[String]] = [
        [],
        ["--window-size", "7"],
        ["--max-value", "2", "--eps", "0"],
        ["--padding", "valid", "--window-size", "5"],
        ["--reduction", "sum"],
        ["--reduction", "none", "--padding", "valid"],
    ]

    /// The library's map and loss for the options of `arguments`.
    func expected<Scalar: SSIMScalar>(_ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ arguments: [String]) throws
        -> (map: Tensor<Scalar>, meanSSIM: Double, loss: Double, lossMap: Tensor<Scalar>, gradient: Tensor<Scalar>)
    {
        func value(_ option: String) -> String? {
            arguments.firstIndex(of: option).map { arguments[$0 + 1] }
        }
        let window = Int(value("--window-size") ?? "11")!
        let maxValue = Scalar(Double(value("--max-value") ?? "1")!), eps = Scalar(Double(value("--eps") ?? "1e-12")!)
        let padding = Padding(rawValue: value("--padding") ?? "same")!
        let reduction = Reduction(rawValue: value("--reduction") ?? "mean")!
        let map = try ssim(x, y, windowSize: window, maxValue: maxValue, eps: eps, padding: padding)
        let loss = try ssimLoss(x, y, windowSize: window, maxValue: maxValue, eps: eps, reduction: reduction, padding: padding)
        let lossMap = try ssimLoss(x, y, windowSize: window, maxValue: maxValue, eps: eps, reduction: .none, padding: padding)
        let (_, gradient) = try ssimLossWithGradient(
            x, y, windowSize: window, maxValue: maxValue, eps: eps, reduction: reduction, padding: padding)
        // The printed means: the one-pass summary's (the maps' elements added in the kernels' order).
        let summary = try ssimSummary(
            x, y, options: CLI.kornia(windowSize: window, maxValue: Double(maxValue), eps: Double(eps), padding: padding), reduction: reduction)
        #expect(summary.loss == loss)
        #expect(abs(summary.meanSSIM - CLI.meanSSIM(map)) <= 1e-15 && abs(summary.meanLoss - CLI.meanSSIM(lossMap)) <= 1e-15)
        return (map, summary.meanSSIM, reduction == .none ? summary.meanLoss : Double(loss.scalar), lossMap, gradient)
    }

    @Test(arguments: settings) func float64MatchesTheLibraryExactly(_ arguments: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Double> = try CLI.pattern([2, 2, 16, 15], 37, 101)
        let y: Tensor<Double> = try CLI.pattern([2, 2, 16, 15], 53, 97)
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float64(y), to: "\(dir)/b.npy")
        let r = try CLI.run(
            [
                "\(dir)/a.npy", "\(dir)/b.npy", "--json", "--map", "\(dir)/m.npy",
                "--loss-map", "\(dir)/l.npy", "--grad", "\(dir)/g.npy",
            ] + arguments)
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let e = try expected(x, y, arguments)
        #expect(try CLI.number("ssim", in: r.out) == e.meanSSIM)
        #expect(try CLI.number("loss", in: r.out) == e.loss)
        #expect(try NumPyFile.read("\(dir)/m.npy").array == .float64(e.map))
        #expect(try NumPyFile.read("\(dir)/l.npy").array == .float64(e.lossMap))
        #expect(try NumPyFile.read("\(dir)/g.npy").array == .float64(e.gradient))

        let object = try CLI.object(r.out)
        for key in ["ssim", "loss", "shape", "dtype", "windowSize", "padding", "reduction", "maxValue", "eps", "image1", "image2"] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect(object["dtype"] as? String == "float64" && object["shape"] as? [Int] == [2, 2, 16, 15])
    }

    @Test(arguments: settings) func float32MatchesTheLibraryExactly(_ arguments: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 3, 13, 14], 29, 89)
        let y: Tensor<Float> = try CLI.pattern([1, 3, 13, 14], 31, 83)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/b.npy")
        let r = try CLI.run(
            [
                "\(dir)/a.npy", "\(dir)/b.npy", "--json", "--map", "\(dir)/m.npy",
                "--loss-map", "\(dir)/l.npy", "--grad", "\(dir)/g.npy",
            ] + arguments)
        #expect(r.status == 0, "\(r.err)")
        let e = try expected(x, y, arguments)
        #expect(try CLI.number("ssim", in: r.out) == e.meanSSIM)
        #expect(try CLI.number("loss", in: r.out) == e.loss)
        #expect(try CLI.object(r.out)["dtype"] as? String == "float32")
        #expect(try NumPyFile.read("\(dir)/m.npy").array == .float32(e.map))
        #expect(try NumPyFile.read("\(dir)/l.npy").array == .float32(e.lossMap))
        #expect(try NumPyFile.read("\(dir)/g.npy").array == .float32(e.gradient))
    }

    @Test func theLineForPeople() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 1, 20, 20], 7, 23)
        let y: Tensor<Float> = try CLI.pattern([1, 1, 20, 20], 11, 29)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/b.npy")
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--reduction", "sum"])
        let loss = try ssimLoss(x, y, windowSize: 11, reduction: .sum).scalar
        let line = String(
            format: "SSIM %.8f  DSSIM loss (sum) %.8f  %@/a.npy vs %@/b.npy\n",
            try CLI.meanSSIM(x, y), Double(loss), dir, dir)
        #expect(r.status == 0 && r.out == line)
    }

    @Test func pngInputsAndHeatMapRoundTrip() throws {
        let dir = try CLI.temporaryDirectory()
        try ImageFile.write(try CLI.pattern([1, 3, 24, 30], 37, 101) as Tensor<Float>, to: "\(dir)/a.png")
        try ImageFile.write(try CLI.pattern([1, 3, 24, 30], 41, 103) as Tensor<Float>, to: "\(dir)/b.png")
        let r = try CLI.run(["\(dir)/a.png", "\(dir)/b.png", "--json", "--map", "\(dir)/heat.png", "--window-size", "7"])
        #expect(r.status == 0, "\(r.err)")
        let x = try ImageFile.read("\(dir)/a.png").tensor, y = try ImageFile.read("\(dir)/b.png").tensor
        let map = try ssim(x, y, windowSize: 7)
        #expect(try CLI.number("ssim", in: r.out) == CLI.meanSSIM(x, y, options: CLI.kornia(windowSize: 7)))
        #expect(try CLI.number("loss", in: r.out) == Double(try ssimLoss(x, y, windowSize: 7).scalar))
        #expect(try CLI.bytes("\(dir)/heat.png") == Data(try ImageFile.encodePNG(try HeatMap().render(map))))
        #expect(try ImageFile.read("\(dir)/heat.png").format == .png)
    }

    @Test func uint8IsNotRescaled() throws {
        let dir = try CLI.temporaryDirectory()
        let a = (0..<144).map { UInt8(($0 * 37) % 256) }, b = (0..<144).map { UInt8(($0 * 53) % 256) }
        try CLI.write(CLI.npy(descr: "|u1", shape: [12, 12], data: a), to: "\(dir)/a.npy")
        try CLI.write(CLI.npy(descr: "|u1", shape: [12, 12], data: b), to: "\(dir)/b.npy")
        let r = try CLI.run([
            "\(dir)/a.npy", "\(dir)/b.npy", "--json", "--max-value", "255", "--window-size", "5",
            "--map", "\(dir)/m.npy",
        ])
        #expect(r.status == 0, "\(r.err)")
        let x = try Tensor<Float>(shape: [1, 1, 12, 12], scalars: a.map(Float.init))
        let y = try Tensor<Float>(shape: [1, 1, 12, 12], scalars: b.map(Float.init))
        let map = try ssim(x, y, windowSize: 5, maxValue: 255)
        #expect(try CLI.number("ssim", in: r.out) == CLI.meanSSIM(x, y, options: CLI.kornia(windowSize: 5, maxValue: 255)))
        #expect(try NumPyFile.read("\(dir)/m.npy").array == .float32(map))
        #expect(try CLI.object(r.out)["dtype"] as? String == "float32")
    }

    @Test func float32AndFloat64AreComputedAsFloat64() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 2, 14, 14], 37, 101)
        let y: Tensor<Double> = try CLI.pattern([1, 2, 14, 14], 53, 97)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float64(y), to: "\(dir)/b.npy")
        for (first, second) in [("a", "b"), ("b", "a")] {
            let r = try CLI.run(["\(dir)/\(first).npy", "\(dir)/\(second).npy", "--json", "--grad", "\(dir)/g.npy"])
            #expect(r.status == 0, "\(r.err)")
            let x64 = try Tensor<Double>(shape: x.shape, scalars: x.scalars.map(Double.init))
            let (p, t) = first == "a" ? (x64, y) : (y, x64)
            #expect(try CLI.object(r.out)["dtype"] as? String == "float64")
            #expect(try CLI.number("loss", in: r.out) == (try ssimLoss(p, t, windowSize: 11).scalar))
            #expect(try NumPyFile.read("\(dir)/g.npy").array == .float64(try ssimLossWithGradient(p, t, windowSize: 11).gradient))
        }
    }

    @Test func rank2And3NpyAreImages() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 1, 12, 13], 37, 101)
        try CLI.write(Data(NumPyFile.encode(.float32(try Tensor(shape: [12, 13], scalars: x.scalars)))), to: "\(dir)/a.npy")
        try CLI.write(Data(NumPyFile.encode(.float32(try Tensor(shape: [1, 12, 13], scalars: x.scalars)))), to: "\(dir)/b.npy")
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--json"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try CLI.object(r.out)["shape"] as? [Int] == [1, 1, 12, 13])
    }
}
