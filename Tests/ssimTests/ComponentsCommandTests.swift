import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// `ssim A B --components DIR` (the four component maps as `.npy`), with `--exponents` and
/// `--regularization-constants`, against the library.
@Suite struct ComponentsCommandTests {
    @Test("--components writes the library's four maps; --exponents and --regularization-constants reach the options")
    func components() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Double> = try CLI.pattern([1, 2, 16, 15], 37, 101)
        let y: Tensor<Double> = try CLI.pattern([1, 2, 16, 15], 53, 97)
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float64(y), to: "\(dir)/b.npy")
        let arguments = ["--convention", "matlab", "--exponents", "1,0.5,2", "--regularization-constants", "0.0001,0.0009,0.0003"]
        let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy", "--json", "--components", "\(dir)/parts", "--map", "\(dir)/m.npy"] + arguments)
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        var options = SSIMOptions.matlab
        options.exponents = SSIMExponents(alpha: 1, beta: 0.5, gamma: 2)
        options.regularizationConstants = SSIMRegularizationConstants(c1: 1e-4, c2: 9e-4, c3: 3e-4)
        let parts = try ssimComponents(x, y, options: options)
        for (name, map) in [
            ("luminance", parts.luminance), ("contrast", parts.contrast), ("structure", parts.structure),
            ("contrast-structure", parts.contrastStructure),
        ] {
            #expect(try NumPyFile.read("\(dir)/parts/\(name).npy").array == .float64(map), "\(name)")
        }
        #expect(try NumPyFile.read("\(dir)/m.npy").array == .float64(try ssim(x, y, options: options)))
        #expect(try CLI.number("ssim", in: r.out) == CLI.meanSSIM(x, y, options: options))
    }

    @Test("With folders, --components names a folder of NAME.luminance.npy, ... per pair")
    func folders() throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(dir)/one", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/two", withIntermediateDirectories: true)
        let x: Tensor<Float> = try CLI.pattern([1, 1, 14, 13], 37, 101), y: Tensor<Float> = try CLI.pattern([1, 1, 14, 13], 53, 97)
        try NumPyFile.write(.float32(x), to: "\(dir)/one/p.npy")
        try NumPyFile.write(.float32(y), to: "\(dir)/two/p.npy")
        let r = try CLI.run(["\(dir)/one", "\(dir)/two", "--components", "\(dir)/parts"])
        #expect(r.status == 0, "\(r.err)")
        let parts = try ssimComponents(x, y, options: .kornia)
        #expect(try NumPyFile.read("\(dir)/parts/p.npy.luminance.npy").array == .float32(parts.luminance))
        #expect(try NumPyFile.read("\(dir)/parts/p.npy.contrast-structure.npy").array == .float32(parts.contrastStructure))
    }

    @Test("Bad values and volumes are usage errors")
    func errors() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Float> = try CLI.pattern([1, 1, 12, 12], 37, 101)
        try NumPyFile.write(.float32(x), to: "\(dir)/a.npy")
        try NumPyFile.write(.float32(x), to: "\(dir)/b.npy")
        try NumPyFile.write(.float32(x), to: "\(dir)/c.npy")
        let v: Tensor<Float> = try CLI.pattern([1, 1, 12, 12, 12], 37, 101)
        try NumPyFile.write(.float32(v), to: "\(dir)/v.npy")
        for (arguments, message) in [
            (["--exponents", "1,1"], "--exponents takes three numbers"),
            (["--exponents", "1,-1,1"], "exponent beta -1.0 must be finite and not negative"),
            (["--regularization-constants", "1,x,3"], "--regularization-constants takes numbers separated by commas"),
            (["--components", "\(dir)/c.npy"], "--components takes a folder"),
            (["--components", "\(dir)/a.npy"], "is one of the inputs"),
            (["--loss", "ms-ssim", "--components", "\(dir)/p"], "--components does not apply to --loss ms-ssim"),
        ] {
            let r = try CLI.run(["\(dir)/a.npy", "\(dir)/b.npy"] + arguments)
            #expect(r.status == 64 && r.err.contains(message), "\(arguments): \(r.err)")
        }
        let r = try CLI.run(["\(dir)/v.npy", "\(dir)/v.npy", "--components", "\(dir)/p"])
        #expect(r.status == 64 && r.err.contains("--components writes the terms of the 2-D SSIM"), "\(r.err)")
    }
}
