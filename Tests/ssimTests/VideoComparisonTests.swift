import Foundation
import SSIMFormats
import StructuralSimilarity
import Testing

/// `ssim a.y4m b.y4m`: the frames against FFmpeg's numbers (the fixtures of
/// Scripts/make_video_fixtures.py), the default convention against the library, the summary,
/// the order of the frames and the errors.
@Suite struct VideoComparisonTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/video").path
    static let clips = [
        "c420-8-64x48", "c420-8-37x29", "c422-8-50x34", "c444-8-24x20", "c420-10-40x36", "c422-10-33x27", "c444-10-24x24",
        "mono-8-30x22", "c420-8-32x32-same", "c420-12-36x20",
    ]
    static let stills = ["rgb8", "gray8", "rgba8", "rgb16", "gray16"]

    static func path(_ name: String) -> String { "\(fixtures)/\(name)" }

    /// The `videoSummary` object of the last line.
    static func summary(_ run: CLI.Run) throws -> [String: Any] {
        let last = try #require(run.lines.last)
        return try #require(try CLI.object(last)["videoSummary"] as? [String: Any])
    }

    /// The `KEY:value` fields of ffmpeg's stats lines (`n:1 Y:0.955209 ... All:0.954714 (13.440378)`),
    /// the dB figure under the key `dB`.
    static func ffmpegStats(_ name: String) throws -> [[String: String]] {
        try String(contentsOfFile: path(name), encoding: .utf8).split(separator: "\n").map { line in
            var fields: [String: String] = [:]
            for word in line.split(separator: " ") {
                if word.hasPrefix("(") { fields["dB"] = String(word.dropFirst().dropLast()); continue }
                let parts = word.split(separator: ":", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            return fields
        }
    }

    /// FFmpeg's `%f`: 6 decimals, `inf` for infinity.
    static func printed(_ value: Double) -> String { value.isFinite ? String(format: "%f", value) : "inf" }

    @Test("Every frame's Y, U, V, All and dB print as FFmpeg's C code prints them", arguments: clips)
    func framesMatchFFmpeg(_ clip: String) throws {
        let r = try CLI.run([Self.path("\(clip).ref.y4m"), Self.path("\(clip).dist.y4m"), "--convention", "ffmpeg", "--json"])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let expected = try Self.ffmpegStats("\(clip).c-stats")
        let frames = r.lines.dropLast()
        #expect(frames.count == expected.count)
        for (line, stats) in zip(frames, expected) {
            let object = try CLI.object(line)
            #expect(object["frame"] as? Int == Int(stats["n"] ?? ""))
            for key in ["Y", "U", "V", "All"] where stats[key] != nil {
                let ours = try CLI.number(key, in: line)
                #expect(Self.printed(ours) == stats[key], "\(clip) frame \(stats["n"]!) \(key): \(ours) vs ffmpeg \(stats[key]!)")
            }
            let decibels = object["dB"] is NSNull ? Double.infinity : try CLI.number("dB", in: line)
            #expect(Self.printed(decibels) == stats["dB"], "\(clip) frame \(stats["n"]!) dB: \(decibels) vs \(stats["dB"]!)")
            // FFmpeg's unrounded All, as far as its dB figure pins it: 1 - 10^(-dB / 10), within
            // what 6 decimals of dB allow (5e-7 dB is (1 - All) ln(10) / 10 5e-7 of All). Measured:
            // at most 9.3e-9 off over the fixtures, 0.95 of that bound.
            if let text = stats["dB"], let figure = Double(text), figure.isFinite {
                let implied = 1 - pow(10, -figure / 10), bound = (1 - implied) * log(10) / 10 * 5e-7
                let all = try CLI.number("All", in: line)
                #expect(abs(all - implied) <= bound * 1.000001, "\(clip) frame \(stats["n"]!): All \(all), dB implies \(implied)")
            }
        }
    }

    @Test("The summary's means and dB figures print as ffmpeg's closing SSIM line", arguments: clips)
    func summaryMatchesFFmpeg(_ clip: String) throws {
        let r = try CLI.run([Self.path("\(clip).ref.y4m"), Self.path("\(clip).dist.y4m"), "--convention", "ffmpeg", "--json"])
        let summary = try Self.summary(r)
        let mean = try #require(summary["mean"] as? [String: Any]), meanDB = try #require(summary["meanDB"] as? [String: Any])
        // SSIM Y:0.926957 (11.364232) U:0.928074 (11.431153) V:0.926328 (11.326970) All:0.927079 (11.371484)
        let line = try String(contentsOfFile: Self.path("\(clip).summary"), encoding: .utf8)
        let words = line.split(whereSeparator: \.isWhitespace).dropFirst()
        var index = words.startIndex
        while index < words.endIndex {
            let parts = words[index].split(separator: ":")
            let key = String(parts[0]), value = String(parts[1])
            let decibels = String(words[index + 1].dropFirst().dropLast())
            #expect(Self.printed(try #require(mean[key] as? Double)) == value, "\(clip) mean \(key)")
            let ours = meanDB[key] as? Double ?? .infinity
            #expect(Self.printed(ours) == decibels, "\(clip) dB \(key): \(ours) vs \(decibels)")
            index += 2
        }
        #expect(summary["convention"] as? String == "ffmpeg")
        #expect(summary["frames"] as? Int == (try Self.ffmpegStats("\(clip).c-stats")).count)
    }

    /// FFmpeg's x86 SSE4 `ssim_end_line` drops the last window of a row and adds one read past the
    /// row when a plane has 1 mod 4 windows a row (floor(W / 4) - 1): there its numbers are not its
    /// C code's. Everywhere else the installed build (SSE4 on the machine the fixtures were made)
    /// prints what its C code prints.
    @Test(arguments: clips)
    func theSSE4CodeAgreesExceptOnOneRowLengthModFour(_ clip: String) throws {
        let header = try YUV4MPEGReader(path: Self.path("\(clip).ref.y4m")).header
        let affected = header.bitDepth == 8 && header.planes.contains { (($0.width >> 2) - 1) % 4 == 1 }
        let sse4 = try Self.ffmpegStats("\(clip).stats"), c = try Self.ffmpegStats("\(clip).c-stats")
        #expect((sse4 != c) == affected, "\(clip)")
    }

    @Test("PNG stills print as ffmpeg -i a.png -i b.png -lavfi ssim prints them", arguments: stills)
    func stillsMatchFFmpeg(_ still: String) throws {
        let r = try CLI.run([Self.path("\(still).ref.png"), Self.path("\(still).dist.png"), "--convention", "ffmpeg", "--json"])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let stats = try #require(try Self.ffmpegStats("\(still).c-stats").first)
        #expect(try Self.ffmpegStats("\(still).stats") == (try Self.ffmpegStats("\(still).c-stats")))
        let line = try #require(r.lines.first)
        for key in ["R", "G", "B", "Y", "All", "dB"] where stats[key] != nil {
            #expect(Self.printed(try CLI.number(key, in: line)) == stats[key], "\(still) \(key)")
        }
        let text = try CLI.run([Self.path("\(still).ref.png"), Self.path("\(still).dist.png"), "--convention", "ffmpeg"])
        let all = String(format: "%.8f", try CLI.number("All", in: line))
        #expect(text.out.hasSuffix("\(still).dist.png  [ffmpeg]\n") && text.out.contains("All \(all)"))
    }

    @Test func jpegIsRefusedUnderTheFFmpegConvention() throws {
        let dir = try CLI.temporaryDirectory()
        let image = try ImageFile.read(Self.path("rgb8.ref.png")).tensor
        try ImageFile.write(image, to: "\(dir)/a.jpg")
        let r = try CLI.run(["\(dir)/a.jpg", Self.path("rgb8.ref.png"), "--convention", "ffmpeg"])
        #expect(r.status == 65 && r.err.contains("is a JPEG: --convention ffmpeg compares PNG stills"), "\(r.err)")
    }

    @Test func palettePNGsAreRefusedUnderTheFFmpegConvention() throws {
        let dir = try CLI.temporaryDirectory()
        // A 1 x 1 palette PNG (colour type 3), written by hand.
        let png: [UInt8] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 3, 0, 0, 0,
            0x28, 0xCB, 0x34, 0xBB, 0, 0, 0, 3, 0x50, 0x4C, 0x54, 0x45, 0xFF, 0, 0, 0x19, 0xE2, 0x09, 0x37, 0, 0, 0, 10, 0x49, 0x44,
            0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0, 0, 0, 2, 0, 1, 0x48, 0xAF, 0xA4, 0x71, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE,
            0x42, 0x60, 0x82,
        ]
        try CLI.write(Data(png), to: "\(dir)/p.png")
        #expect(try ImageFile.read("\(dir)/p.png").tensor.shape == [1, 3, 1, 1])
        let r = try CLI.run(["\(dir)/p.png", "\(dir)/p.png", "--convention", "ffmpeg"])
        #expect(r.status == 65 && r.err.contains("is a palette PNG: FFmpeg converts palettes"), "\(r.err)")
    }

    @Test("Without --convention ffmpeg each plane is the library's SSIM of the plane in [0, 1], All weighted by pixels")
    func theDefaultConventionIsTheLibrarys() throws {
        for (clip, options) in [("c420-8-64x48", [String]()), ("c422-10-33x27", ["--convention", "scikit-image"])] {
            let r = try CLI.run([Self.path("\(clip).ref.y4m"), Self.path("\(clip).dist.y4m"), "--json"] + options)
            #expect(r.status == 0, "\(r.err)")
            let a = try YUV4MPEGReader(path: Self.path("\(clip).ref.y4m")), b = try YUV4MPEGReader(path: Self.path("\(clip).dist.y4m"))
            let preset = options.isEmpty ? SSIMOptions.kornia : .scikitImage
            var line = 0
            while let x = try a.nextFrame(), let y = try b.nextFrame() {
                var values: [Double] = [], all = 0.0
                let pixels = x.header.planes.reduce(0) { $0 + $1.width * $1.height }
                for (index, plane) in x.header.planes.enumerated() {
                    let shape = [1, 1, plane.height, plane.width]
                    let map = try ssim(
                        try Tensor(shape: shape, scalars: x.values(plane: index)), try Tensor(shape: shape, scalars: y.values(plane: index)),
                        options: preset)
                    values.append(CLI.meanSSIM(map))
                    all += Double(plane.height) * Double(plane.width) / Double(pixels) * values[index]
                }
                let printed = r.lines[line]
                #expect(try CLI.number("Y", in: printed) == values[0] && CLI.number("U", in: printed) == values[1])
                #expect(try CLI.number("V", in: printed) == values[2] && CLI.number("All", in: printed) == all)
                line += 1
            }
            let summary = try Self.summary(r)
            #expect(summary["convention"] as? String == (options.isEmpty ? "kornia" : "scikit-image"))
        }
    }

    /// A clip of `count` frames of a moving pattern (and a noisy copy), written to `dir`.
    func longClip(_ dir: String, count: Int) throws -> (String, String) {
        let (w, h) = (32, 16)
        var ref = Array("YUV4MPEG2 W\(w) H\(h) F25:1 C444\n".utf8), dist = ref
        for n in 0..<count {
            ref += Array("FRAME\n".utf8)
            dist += Array("FRAME\n".utf8)
            for i in 0..<(3 * w * h) {
                let value = UInt8((i * 7 + n * 13) % 251)
                ref.append(value)
                dist.append(value &+ UInt8((i * 31 + n) % (3 + n)))
            }
        }
        try CLI.write(Data(ref), to: "\(dir)/ref.y4m")
        try CLI.write(Data(dist), to: "\(dir)/dist.y4m")
        return ("\(dir)/ref.y4m", "\(dir)/dist.y4m")
    }

    @Test("Frames come out in order, one line each, then the two summary lines naming the worst frame")
    func framesInOrderAndSummary() throws {
        let dir = try CLI.temporaryDirectory()
        let (ref, dist) = try longClip(dir, count: 11)
        let r = try CLI.run([ref, dist, "--convention", "ffmpeg"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.lines.count == 13)
        for (n, line) in r.lines.prefix(11).enumerated() { #expect(line.hasPrefix("frame \(n + 1)  Y "), "\(line)") }
        #expect(r.lines[11].hasPrefix("11 frames  Y ") && r.lines[11].hasSuffix("ref.y4m vs \(dist)  [ffmpeg]"), "\(r.lines[11])")
        let alls = try r.lines.prefix(11).map { line in
            try #require(line.components(separatedBy: "All ").last?.split(separator: " ").first.flatMap { Double($0) })
        }
        let worst = try #require(alls.indices.min { alls[$0] < alls[$1] })
        #expect(r.lines[12].hasPrefix("  All over the frames: min \(String(format: "%.8f", alls[worst]))"))
        #expect(r.lines[12].contains("worst frame \(worst + 1) (All"), "\(r.lines[12])")
        // The same numbers as JSON, in the same order; and --min-ssim above the mean fails with 3.
        let json = try CLI.run([ref, dist, "--convention", "ffmpeg", "--json", "--min-ssim", "0.9999"])
        #expect(json.status == 3)
        for (n, line) in json.lines.prefix(11).enumerated() { #expect(try CLI.object(line)["frame"] as? Int == n + 1) }
        let summary = try Self.summary(json)
        #expect(summary["passed"] as? Bool == false && summary["frames"] as? Int == 11)
    }

    @Test("Identical videos: SSIM 1 and dB inf (JSON null)")
    func identical() throws {
        let ref = Self.path("c420-8-64x48.ref.y4m")
        let r = try CLI.run([ref, ref, "--convention", "ffmpeg"])
        #expect(r.status == 0 && r.lines.first == "frame 1  Y 1.00000000  U 1.00000000  V 1.00000000  All 1.00000000  (inf dB)")
    }

    static let errorCases: [([String], Int32, String)] = [
        (["short"], 65, "has 2 frames but"), (["size"], 65, "is 4:2:0 8-bit 64 x 48 but"),
        (["truncated"], 65, "is truncated: frame 2 needs 4608 bytes but only 100 remain"),
        (["header"], 65, "is not a valid YUV4MPEG2 (.y4m) file"), (["png"], 64, "is a video (.y4m) but the other is not"),
        (["--map", "m.png"], 64, "--map does not apply to videos"), (["--convention", "ffmpeg", "--window-size", "7"], 64, "does not apply"),
        (["tiny"], 65, "smaller than the 8 x 8 window of --convention ffmpeg"),
    ]

    @Test("Errors name the file and the fix, exit non-zero and print no trap", arguments: errorCases)
    func errors(_ arguments: [String], _ status: Int32, _ message: String) throws {
        let dir = try CLI.temporaryDirectory()
        let ref = Self.path("c420-8-64x48.ref.y4m")
        let bytes = try CLI.bytes(ref), frame = 4608 + 6, header = bytes.count - 4 * frame
        var inputs = [ref, Self.path("c420-8-64x48.dist.y4m")], extra = arguments
        switch arguments.first {
        case "short": try CLI.write(bytes.prefix(header + 2 * frame), to: "\(dir)/b.y4m")
        case "size": inputs[1] = Self.path("c420-8-37x29.dist.y4m")
        case "truncated": try CLI.write(bytes.prefix(header + frame + 106), to: "\(dir)/b.y4m")
        case "header": try CLI.write(Data("YUV4MPEG2 H48 C420\nFRAME\n".utf8), to: "\(dir)/b.y4m")
        case "png": inputs[1] = Self.path("rgb8.ref.png")
        case "tiny":
            try CLI.write(Data(Array("YUV4MPEG2 W12 H12 C420\nFRAME\n".utf8) + Array(repeating: 0, count: 216)), to: "\(dir)/a.y4m")
            inputs = ["\(dir)/a.y4m", "\(dir)/a.y4m"]
            extra = ["--convention", "ffmpeg"]
        default: break
        }
        if ["short", "truncated", "header"].contains(arguments.first) { inputs[1] = "\(dir)/b.y4m"; extra = ["--convention", "ffmpeg"] }
        if ["size", "png"].contains(arguments.first) { extra = [] }
        let r = try CLI.run(inputs + extra, in: dir)
        #expect(r.status == status && r.err.hasPrefix("Error: ") && r.err.contains(message), "\(arguments): \(r.err)")
        if arguments.first == "short" { #expect(r.lines.count == 2 && r.err.contains("c420-8-64x48.ref.y4m' has 4;"), "\(r.out)") }
        if arguments.first == "truncated" { #expect(r.lines.count == 1) }  // frame 1 printed before the error
    }
}
