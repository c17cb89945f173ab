import Foundation
@testable import SSIMFormats
import StructuralSimilarity
import Testing

/// The command in CI: `--min-ssim` and `--max-loss` (exit status 3 when below), `--stats`,
/// `--diff`, `schemaVersion`, and the JSON schema's validator itself.
@Suite struct CIModeTests {
    /// Two 40 x 48 RGB PNGs: a picture, and the same with a 6 x 6 block painted black.
    static func pair(in dir: String) throws -> (String, String, Tensor<Float>, Tensor<Float>) {
        let a: Tensor<Float> = try CLI.pattern([1, 3, 40, 48], 7, 23)
        var scalars = a.scalars
        for c in 0..<3 { for y in 10..<16 { for x in 20..<26 { scalars[(c * 40 + y) * 48 + x] = 0 } } }
        let b = try Tensor(shape: [1, 3, 40, 48], scalars: scalars)
        try ImageFile.write(a, to: "\(dir)/a.png")
        try ImageFile.write(b, to: "\(dir)/b.png")
        return ("\(dir)/a.png", "\(dir)/b.png", try ImageFile.read("\(dir)/a.png").tensor, try ImageFile.read("\(dir)/b.png").tensor)
    }

    @Test func minSSIMExitsWith3WhenBelowAnd0Otherwise() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, x, y) = try Self.pair(in: dir)
        let ssim = try CLI.meanSSIM(x, y)
        let plain = try CLI.run([a, b])
        let below = try CLI.run([a, b, "--min-ssim", "\(ssim + 0.001)"])
        #expect(below.status == 3, "\(below.err)")
        #expect(below.out == plain.out.dropLast() + "  BELOW --min-ssim \(ssim + 0.001)\n")
        let above = try CLI.run([a, b, "--min-ssim", "\(ssim - 0.001)"])
        #expect(above.status == 0 && above.out == plain.out)
        let json = try CLI.run([a, b, "--min-ssim", "\(ssim + 0.001)", "--json"])
        #expect(json.status == 3)
        let object = try CLI.object(json.out)
        #expect(object["passed"] as? Bool == false && object["schemaVersion"] as? Int == 1)
        #expect((object["thresholds"] as? [String: Any])?["maxLoss"] is NSNull)
        // --max-loss: the loss printed against the bar, for the SSIM loss and MS-SSIM + L1.
        let loss = try CLI.number("loss", in: try CLI.run([a, b, "--json"]).out)
        #expect(try CLI.run([a, b, "--max-loss", "\(loss / 2)"]).status == 3)
        #expect(try CLI.run([a, b, "--max-loss", "\(loss * 2)"]).status == 0)
        let msssim = try CLI.number("loss", in: try CLI.run([a, b, "--loss", "ms-ssim", "--json"]).out)
        let msBelow = try CLI.run([a, b, "--loss", "ms-ssim", "--max-loss", "\(msssim / 2)", "--json"])
        let msObject = try CLI.object(msBelow.out)
        #expect(msBelow.status == 3 && msObject["passed"] as? Bool == false)
    }

    @Test func foldersListEveryPairBelowAndExitWith3() throws {
        let dir = try CLI.temporaryDirectory()
        for folder in ["one", "two"] { try FileManager.default.createDirectory(atPath: "\(dir)/\(folder)", withIntermediateDirectories: true) }
        let (a, b, _, _) = try Self.pair(in: dir)
        for name in ["p.png", "q.png", "r.png"] { try FileManager.default.copyItem(atPath: a, toPath: "\(dir)/one/\(name)") }
        try FileManager.default.copyItem(atPath: a, toPath: "\(dir)/two/p.png")
        try FileManager.default.copyItem(atPath: b, toPath: "\(dir)/two/q.png")
        try FileManager.default.copyItem(atPath: b, toPath: "\(dir)/two/r.png")
        let text = try CLI.run(["\(dir)/one", "\(dir)/two", "--min-ssim", "0.99"])
        #expect(text.status == 3, "\(text.err)")
        #expect(
            text.out.contains("2 pairs below the thresholds:\n") && text.out.contains("  q.png  (--min-ssim 0.99)")
                && text.out.contains("  r.png  (--min-ssim 0.99)"))
        let json = try CLI.run(["\(dir)/one", "\(dir)/two", "--min-ssim", "0.99", "--json"])
        let summary = try #require(try CLI.object(json.lines.last!)["summary"] as? [String: Any])
        #expect((summary["belowThreshold"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["q.png", "r.png"])
        // Without a threshold the summary is as before: no belowThreshold key, status 0.
        let plain = try CLI.run(["\(dir)/one", "\(dir)/two", "--json"])
        let plainSummary = try CLI.object(plain.lines.last!)["summary"] as? [String: Any]
        #expect(plain.status == 0 && plainSummary?["belowThreshold"] == nil)
        // A pair that cannot be compared takes precedence: 65, and the pairs below are still listed.
        try CLI.write(Data("not a png".utf8), to: "\(dir)/one/s.png")
        try CLI.write(Data("not a png".utf8), to: "\(dir)/two/s.png")
        let broken = try CLI.run(["\(dir)/one", "\(dir)/two", "--min-ssim", "0.99"])
        #expect(broken.status == 65 && broken.out.contains("2 pairs below the thresholds:"))
    }

    @Test func statsMatchTheLibrary() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, x, y) = try Self.pair(in: dir)
        let map = try StructuralSimilarity.ssim(x, y, windowSize: 11)
        let expected = try SSIMStatistics(map: map, x, y, dataRange: 1)
        let r = try CLI.run([a, b, "--stats", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let stats = try #require(try CLI.object(r.out)["stats"] as? [String: Any])
        let worst = try #require(stats["worst"] as? [String: Any])
        #expect(worst["x"] as? Int == expected.worst.x && worst["y"] as? Int == expected.worst.y)
        #expect((20...25).contains(expected.worst.x) && (10...15).contains(expected.worst.y))
        for (key, value) in [
            ("min", expected.minimum), ("p1", expected.p1), ("p5", expected.p5), ("p50", expected.p50),
            ("psnr", expected.psnr), ("mse", expected.mse),
        ] {
            #expect(try CLI.number(key, in: r.out) == value, "\(key)")
        }
        let line = try CLI.run([a, b, "--stats"])
        #expect(
            line.lines.count == 2 && line.lines[1].hasPrefix("  stats: min ") && line.lines[1].contains("PSNR ")
                && line.lines[1].contains("worst \(ComparisonResultFormat.f(expected.worst.ssim)) at x \(expected.worst.x), y \(expected.worst.y)"))
        // Identical images: PSNR infinite (null in JSON, "inf" in the line), MSE 0.
        let same = try CLI.run([a, a, "--stats", "--json"])
        #expect((try CLI.object(same.out)["stats"] as? [String: Any])?["psnr"] is NSNull)
        #expect(try CLI.run([a, a, "--stats"]).out.contains("PSNR inf  MSE 0"))
    }

    @Test func diffWritesTheLibrarysOverlay() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, x, y) = try Self.pair(in: dir)
        let r = try CLI.run([a, b, "--diff", "\(dir)/diff.png"])
        let plain = try CLI.run([a, b])
        #expect(r.status == 0 && r.out == plain.out, "\(r.err)")
        let local = try LocalSSIMMap(try StructuralSimilarity.ssim(x, y, windowSize: 11))
        let expected = try ImageFile.encodePNG(try DifferenceOverlay().render(reference: x, map: local))
        #expect(try CLI.bytes("\(dir)/diff.png") == Data(expected))
        // Folders: NAME.diff.png in the --diff folder.
        for folder in ["one", "two"] { try FileManager.default.createDirectory(atPath: "\(dir)/\(folder)", withIntermediateDirectories: true) }
        try FileManager.default.copyItem(atPath: a, toPath: "\(dir)/one/p.png")
        try FileManager.default.copyItem(atPath: b, toPath: "\(dir)/two/p.png")
        #expect(try CLI.run(["\(dir)/one", "\(dir)/two", "--diff", "\(dir)/diffs"]).status == 0)
        #expect(try CLI.bytes("\(dir)/diffs/p.png.diff.png") == Data(expected))
    }

    @Test func usageErrors() throws {
        let dir = try CLI.temporaryDirectory()
        let (a, b, _, _) = try Self.pair(in: dir)
        let cases: [([String], String)] = [
            (["--min-msssim", "0.9"], "--min-msssim applies only to --metric ms-ssim"),
            (["--min-ssim", "x"], "--min-ssim takes a number"),
            (["--min-ssim", "nan"], "--min-ssim takes a finite number"),
            (["--loss", "ms-ssim", "--min-ssim", "0.9"], "--min-ssim does not apply to --loss ms-ssim"),
            (["--loss", "ms-ssim", "--stats"], "--stats does not apply to --loss ms-ssim"),
            (["--diff", "\(dir)/d.jpg"], "--diff writes a .png picture"),
            (["--diff", a], "one of the input files"),
        ]
        for (options, message) in cases {
            let r = try CLI.run([a, b] + options)
            #expect(r.status == 64 && r.err.contains(message), "\(options): \(r.err)")
        }
        #expect(try CLI.run(["demo", "--stats"]).status == 64)
        // Volumes: --stats and --diff describe images.
        let volume = try Tensor<Float>(shape: [1, 1, 8, 12, 12], repeating: 0.5)
        try CLI.write(Data(NumPyFile.encode(.float32(volume))), to: "\(dir)/v.npy")
        let v = try CLI.run(["\(dir)/v.npy", "\(dir)/v.npy", "--stats"])
        #expect(v.status == 64 && v.err.contains("--stats and --diff describe 2-D images"))
        // The help lists the new options and the status.
        let help = try CLI.run(["--help"]).out
        #expect(
            help.contains("--min-ssim X") && help.contains("--stats") && help.contains("--diff FILE.png")
                && help.contains("3 below --min-ssim"))
    }

    @Test func schemaValidatorCatchesWhatItShould() throws {
        let v = OutputSchema.validator
        let good = try CLI.run([try Self.pair(in: try CLI.temporaryDirectory()).0, try Self.pair(in: try CLI.temporaryDirectory()).1, "--json"]).out
        #expect(OutputSchema.errors(inLines: good).isEmpty)
        let object = try JSONParser.parse(good.trimmingCharacters(in: .newlines))
        guard case var .object(fields) = object else { Issue.record("not an object"); return }
        func errors(_ change: (inout [String: JSON]) -> Void) -> [String] {
            var copy = fields
            change(&copy)
            return v.errors(.object(copy))
        }
        #expect(errors { $0["ssim"] = .string("high") }.joined().contains("oneOf"))
        #expect(errors { $0["windowSize"] = .number(0.5) }.joined().contains("$.windowSize: a number, expected integer"))
        #expect(errors { $0["schemaVersion"] = nil }.joined().contains("the required key 'schemaVersion' is missing"))
        #expect(errors { $0["undocumented"] = .null }.joined().contains("the key 'undocumented' is not in the schema"))
        #expect(errors { $0["padding"] = .string("circular") }.joined().contains("is not one of"))
        fields["shape"] = .array([.number(1)])
        #expect(v.errors(.object(fields)).joined().contains("1 items, fewer than 4"))
        // The parser: strict JSON only.
        for bad in ["{\"a\": 1,}", "{\"a\": 1, \"a\": 2}", "[01]", "{\"a\": NaN}", "\"\u{01}\"", "[1] x"] {
            #expect(throws: JSONParser.Failure.self, "\(bad)") { try JSONParser.parse(bad) }
        }
        #expect(
            try JSONParser.parse("{\"a\": [true, null, -1.5e3, \"\\u00e9\\n\"]}")
                == .object(["a": .array([.bool(true), .null, .number(-1500), .string("é\n")])]))
        // A keyword outside the subset is reported, not skipped.
        let unknown = try JSONSchemaValidator(schema: "{\"pattern\": \"^a\"}")
        #expect(unknown.errors(.string("b")).joined().contains("does not implement the keyword 'pattern'"))
    }
}

/// The line's number format (`%.8f`), for the tests.
enum ComparisonResultFormat {
    static func f(_ value: Double) -> String { String(format: "%.8f", value) }
}
