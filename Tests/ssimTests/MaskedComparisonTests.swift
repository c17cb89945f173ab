import Foundation
import SSIMFormats
import StructuralSimilarity
import Testing

/// `ssim A B --mask MASK`: the masked SSIM of the library, from a PNG or `.npy` mask, for files and
/// folders (one mask for all, or a folder of one mask per pair), and the errors of bad masks.
@Suite struct MaskedComparisonTests {
    /// A 16 x 16 mask: a disc of ones, zeros elsewhere, one soft ring.
    static func disc<Scalar: BinaryFloatingPoint>() throws -> Tensor<Scalar> {
        try Tensor(
            shape: [1, 1, 16, 16],
            scalars: (0..<256).map { i in
                let r = (Double(i / 16) - 7).magnitude + (Double(i % 16) - 8).magnitude
                return r < 6 ? 1 : r < 7 ? 0.5 : 0
            })
    }

    @Test func aNumPyMaskGivesTheLibrarysMaskedNumbers() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Double> = try CLI.pattern([1, 2, 16, 16], 37, 101), y: Tensor<Double> = try CLI.pattern([1, 2, 16, 16], 53, 97)
        let mask: Tensor<Double> = try Self.disc()
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float64(y), to: "\(dir)/b.npy")
        // (H, W): the reader makes it (1, 1, H, W).
        try NumPyFile.write(.float64(try Tensor(shape: [16, 16], scalars: mask.scalars)), to: "\(dir)/mask.npy")
        let r = try CLI.run(
            [
                "\(dir)/a.npy", "\(dir)/b.npy", "--mask", "\(dir)/mask.npy", "--window-size", "3", "--json", "--map", "\(dir)/m.npy",
                "--grad", "\(dir)/g.npy",
            ])
        var o = SSIMOptions.kornia
        o.windowSize = 3
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        #expect(try CLI.number("ssim", in: r.out) == meanSSIM(x, y, options: o, weights: mask).scalar)
        #expect(try CLI.number("loss", in: r.out) == ssimLoss(x, y, options: o, weights: mask).scalar)
        let map = try NumPyFile.read("\(dir)/m.npy").array.tensor(of: Double.self)
        let expected = try ssim(x, y, options: o, weights: mask)
        #expect(map.shape == expected.shape)
        #expect(zip(map.scalars, expected.scalars).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(map.scalars.contains { $0.isNaN })  // the corners see no weight in a 3 x 3 window
        let gradient = try ssimLossWithGradient(x, y, options: o, weights: mask).gradient
        #expect(try NumPyFile.read("\(dir)/g.npy").array == .float64(gradient))
        // Without the mask the numbers differ.
        let plain = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--window-size", "3", "--json"])
        #expect(try CLI.number("ssim", in: plain.out) != CLI.number("ssim", in: r.out))
    }

    @Test func aPNGMaskAndFoldersOfMasks() throws {
        let root = try CLI.temporaryDirectory()
        for folder in ["A", "B", "M"] { try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true) }
        let mask: Tensor<Float> = try Self.disc()
        try ImageFile.write(mask, to: "\(root)/M/one.png")
        try ImageFile.write(try Tensor<Float>(shape: [1, 1, 16, 16], repeating: 1), to: "\(root)/M/two.png")
        try ImageFile.write(mask, to: "\(root)/mask.png")
        for (name, (a, b)) in [("one", (37, 53)), ("two", (41, 59))] {
            try ImageFile.write(try CLI.pattern([1, 1, 16, 16], a, 101) as Tensor<Float>, to: "\(root)/A/\(name).png")
            try ImageFile.write(try CLI.pattern([1, 1, 16, 16], b, 97) as Tensor<Float>, to: "\(root)/B/\(name).png")
        }
        func expected(_ name: String, _ maskPath: String) throws -> Double {
            let x = try ImageFile.read("\(root)/A/\(name).png").tensor, y = try ImageFile.read("\(root)/B/\(name).png").tensor
            return Double(try meanSSIM(x, y, options: .kornia, weights: try ImageFile.read(maskPath).tensor).scalar)
        }
        let file = try CLI.run(["\(root)/A/one.png", "\(root)/B/one.png", "--mask", "\(root)/mask.png", "--json"])
        #expect(file.status == 0, "\(file.err)")
        #expect(try CLI.number("ssim", in: file.out) == expected("one", "\(root)/mask.png"))
        // A folder of masks: each pair its own.
        let perPair = try CLI.run(["\(root)/A", "\(root)/B", "--mask", "\(root)/M", "--json"])
        #expect(perPair.status == 0, "\(perPair.err)")
        #expect(try CLI.number("ssim", in: perPair.lines[0]) == expected("one", "\(root)/M/one.png"))
        #expect(try CLI.number("ssim", in: perPair.lines[1]) == expected("two", "\(root)/M/two.png"))
        // One mask for every pair.
        let shared = try CLI.run(["\(root)/A", "\(root)/B", "--mask", "\(root)/mask.png", "--json"])
        #expect(try CLI.number("ssim", in: shared.lines[1]) == expected("two", "\(root)/mask.png"))
        // A folder of masks without a pair's mask: that pair fails, the others are compared.
        try FileManager.default.removeItem(atPath: "\(root)/M/two.png")
        let missing = try CLI.run(["\(root)/A", "\(root)/B", "--mask", "\(root)/M"])
        #expect(missing.status != 0 && missing.err.contains("has no 'two.png'"), "\(missing.err)")
        #expect(missing.out.contains("one.png"))
    }

    @Test func badMasksAreErrors() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 1, 16, 16], 37, 101), y: Tensor<Float> = try CLI.pattern([1, 1, 16, 16], 53, 97)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/b.npy")
        func run(_ mask: Tensor<Float>, _ extra: [String] = []) throws -> CLI.Run {
            try NumPyFile.write(.float32(mask), to: "\(dir)/mask.npy")
            return try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--mask", "\(dir)/mask.npy"] + extra)
        }
        let shape = try run(try Tensor(shape: [1, 1, 16, 15], repeating: 1))
        #expect(shape.status != 0 && shape.err.hasPrefix("Error: ") && shape.err.contains("take weights of shape [1, 1, 16, 16]"), "\(shape.err)")
        let range = try run(try Tensor(shape: [1, 1, 16, 16], repeating: 2))
        #expect(range.status != 0 && range.err.contains("weight 2.0 is outside [0, 1]"), "\(range.err)")
        let zero = try run(try Tensor(shape: [1, 1, 16, 16], repeating: 0))
        #expect(zero.status != 0 && zero.err.contains("is 0"), "\(zero.err)")
        let stats = try run(try Tensor(shape: [1, 1, 16, 16], repeating: 1), ["--stats"])
        #expect(stats.status == 64 && stats.err.contains("--stats does not take --mask"), "\(stats.err)")
        let exponents = try run(try Tensor(shape: [1, 1, 16, 16], repeating: 1), ["--exponents", "1,0.5,2"])
        #expect(exponents.status == 64 && exponents.err.contains("--exponents does not take --mask"), "\(exponents.err)")
        let folder = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--mask", dir])
        #expect(folder.status == 64 && folder.err.contains("is a folder"), "\(folder.err)")
        let msssim = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--mask", "\(dir)/mask.npy", "--metric", "ms-ssim"])
        #expect(msssim.status == 64, "\(msssim.err)")
    }
}
