import Foundation
import Testing
import SSIMFormats
import StructuralSimilarity

/// Help, version and the usage errors of the built `ssim` binary.
@Suite struct CommandTests {
    @Test(arguments: ["--help", "-h"]) func help(_ flag: String) throws {
        let help = try CLI.run([flag])
        #expect(help.status == 0 && help.err.isEmpty)
        for section in ["OVERVIEW:", "USAGE:", "ARGUMENTS:", "OPTIONS:", "EXIT STATUS:"] {
            #expect(help.out.contains(section), "\(section)")
        }
        for option in [
            "--window-size", "--max-value", "--eps", "--padding", "--reduction", "--json", "--map",
            "--loss-map", "--grad", "--output", "--help", "--version", "DIR1 DIR2", "same | valid",
            "mean | sum | none", "(default: 11)", "(default: 1e-12)", "--lambda", "gaussian-splatting", "monodepth2",
        ] {
            #expect(help.out.contains(option), "\(option)")
        }
    }

    @Test func version() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0 && r.out.hasPrefix("ssim ") && r.err.isEmpty)
    }

    @Test(
        arguments: [
            (["--bogus"], "unknown option '--bogus'"),
            (["a.npy"], "expected two files or two folders"),
            (["a.npy", "b.npy", "c.npy"], "got 3 arguments"),
            (["a.npy", "b.npy", "--padding", "full"], "--padding takes one of same, valid, not 'full'"),
            (["a.npy", "b.npy", "--reduction", "max"], "--reduction takes one of mean, sum, none"),
            (["a", "b", "--window-size", "x"], "--window-size takes a number"),
            (["a", "b", "--window-size", "10"], "--window-size must be a positive odd number"),
            (["a", "b", "--window-size", "-3"], "--window-size must be a positive odd number"),
            (["a", "b", "--max-value", "0"], "--max-value must be finite and positive"),
            (["a", "b", "--max-value", "nan"], "--max-value must be finite and positive"),
            (["a", "b", "--eps", "-1"], "--eps must be finite and not negative"),
            (["a", "b", "--window-size"], "--window-size needs a value"),
            (["a", "b", "--json=yes"], "--json takes no value"),
            (["a", "b", "--map", "m.txt"], "--map writes .png (heat-map) or .npy"),
            (["a", "b", "--grad", "g.png"], "--grad writes .npy files"),
            (["a", "b", "--loss-map", "l.png"], "--loss-map writes .npy files"),
            (["a", "b", "--map", "o.npy", "--grad", "o.npy"], "--map and --grad both write 'o.npy'"),
            (["a", "b", "--output", "d"], "--output is for 'ssim demo'"),
            (["demo", "--json"], "--json is for comparisons"),
            (["demo", "x"], "demo takes no file arguments"),
        ] as [([String], String)])
    func usageErrorsExit64(_ arguments: [String], _ message: String) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 64, "\(arguments)")
        #expect(r.err.hasPrefix("Error: "), "\(arguments)")
        #expect(r.err.contains(message), "\(arguments): \(r.err)")
        #expect(r.err.contains("Usage: ssim IMAGE1 IMAGE2"), "\(arguments)")
        #expect(r.out.isEmpty, "\(arguments)")
    }

    @Test func optionsMayComeAnywhereAndTakeEqualsValues() throws {
        let dir = try CLI.temporaryDirectory()
        let x: Tensor<Double> = try CLI.pattern([1, 1, 12, 12], 37, 101)
        try NumPyFile.write(.float64(x), to: "\(dir)/a.npy")
        let r1 = try CLI.run(["--json", "--window-size=5", "\(dir)/a.npy", "--padding", "valid", "--", "\(dir)/a.npy"])
        let r2 = try CLI.run(["\(dir)/a.npy", "\(dir)/a.npy", "--json", "--window-size", "5", "--padding=valid"])
        #expect(r1.status == 0 && r1.out == r2.out, "\(r1.err)")
        #expect(try CLI.number("windowSize", in: r1.out) == 5 && r1.out.contains("\"padding\": \"valid\""))
    }

    @Test func aFolderAndAFileAreAUsageError() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Data(), to: "\(dir)/f.png")
        let mixed = try CLI.run([dir, "\(dir)/f.png"])
        #expect(mixed.status == 64 && mixed.err.contains("is a folder but"))
        let missing = try CLI.run([dir, "\(dir)/none"])
        #expect(missing.status == 65 && missing.err.contains("'\(dir)/none' does not exist"))
    }
}
