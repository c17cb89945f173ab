import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// `ssim a.npy b.npy` on rank-5 volumes `(B, C, D, H, W)`: the 3-D SSIM, with the same JSON keys
/// and outputs as images.
@Suite struct VolumeComparisonTests {
    @Test(arguments: [[], ["--window-size", "5", "--padding", "valid", "--reduction", "sum"]])
    func volumesAreComparedIn3D(_ arguments: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 2, 7, 9, 8], 37, 101)
        let y: Tensor<Float> = try CLI.pattern([1, 2, 7, 9, 8], 53, 97)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/b.npy")
        let r = try CLI.run(
            [
                "\(dir)/a.npy", "\(dir)/b.npy", "--json", "--window-size", "7", "--map", "\(dir)/m.npy",
                "--loss-map", "\(dir)/l.npy", "--grad", "\(dir)/g.npy",
            ] + arguments)
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let window = arguments.isEmpty ? 7 : 5
        let padding: Padding = arguments.isEmpty ? .same : .valid
        let reduction: Reduction = arguments.isEmpty ? .mean : .sum
        let map = try ssim3D(x, y, windowSize: window, padding: padding)
        let loss = try ssim3DLoss(x, y, windowSize: window, reduction: reduction, padding: padding)
        #expect(try CLI.number("ssim", in: r.out) == CLI.meanSSIM(map))
        #expect(try CLI.number("loss", in: r.out) == Double(loss.scalar))
        #expect(try NumPyFile.read("\(dir)/m.npy").array == .float32(map))
        #expect(try NumPyFile.read("\(dir)/l.npy").array == .float32(try ssim3DLoss(x, y, windowSize: window, reduction: .none, padding: padding)))
        #expect(
            try NumPyFile.read("\(dir)/g.npy").array
                == .float32(try ssim3DLossWithGradient(x, y, windowSize: window, reduction: reduction, padding: padding).gradient))
        let object = try CLI.object(r.out)
        for key in ["ssim", "loss", "shape", "dtype", "windowSize", "padding", "reduction", "maxValue", "eps", "image1", "image2"] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect(object["shape"] as? [Int] == [1, 2, 7, 9, 8] && object["dtype"] as? String == "float32")
    }

    @Test func aVolumeHeatMapIsAUsageError() throws {
        let dir = try CLI.temporaryDirectory()
        let x = try Tensor<Double>(shape: [1, 1, 4, 6, 6], repeating: 0.5)
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float64(x), to: "\(dir)/b.npy")
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--window-size", "3", "--map", "\(dir)/heat.png"])
        #expect(r.status == 64 && r.err.contains(".npy only") && r.err.contains("volumes (B, C, D, H, W)"), "\(r.err)")
        #expect(try CLI.files(in: dir) == ["a.npy", "b.npy"])
    }

    @Test func aVolumeTooSmallForTheWindowIsADataError() throws {
        let dir = try CLI.temporaryDirectory()
        let x = try Tensor<Float>(shape: [1, 1, 4, 16, 16], repeating: 0.5)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/a.npy"])  // window 11: D = 4 is too short
        #expect(r.status == 65 && r.err.contains("window size 11") && r.err.contains("[1, 1, 4, 16, 16]"), "\(r.err)")
    }
}

extension VolumeComparisonTests {
    @Test func foldersOfVolumesGetTheirMapsAsNpy() throws {
        let dir = try CLI.temporaryDirectory()
        for side in ["one", "two"] { try FileManager.default.createDirectory(atPath: "\(dir)/\(side)", withIntermediateDirectories: false) }
        let x: Tensor<Float> = try CLI.pattern([1, 1, 5, 6, 7], 37, 101)
        let y: Tensor<Float> = try CLI.pattern([1, 1, 5, 6, 7], 53, 97)
        try NumPyFile.write(.float32(x), to: "\(dir)/one/v.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/two/v.npy")
        let r = try CLI.run(["\(dir)/one", "\(dir)/two", "--window-size", "3", "--map", "\(dir)/maps"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try CLI.files(in: "\(dir)/maps") == ["v.npy.ssim-map.npy"])
        #expect(try NumPyFile.read("\(dir)/maps/v.npy.ssim-map.npy").array == .float32(try ssim3D(x, y, windowSize: 3)))
    }
}
