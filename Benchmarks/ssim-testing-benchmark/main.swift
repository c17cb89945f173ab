// ssim-testing-benchmark: times SSIMTesting's expectSimilar on a 1024 x 768 RGB PNG and its
// reference (decoding included), and runs the demonstration of Scripts/testing-demo.sh.
//
//   swift run -c release ssim-testing-benchmark [--repeat N]
//   swift run -c release ssim-testing-benchmark --demo DIR     # DIR/reference.png vs every other DIR/*.png
import Foundation
import SSIMFormats
import SSIMTesting
import StructuralSimilarity
import Testing  // expectSimilar's default source location is a macro of Testing

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// A 1024 x 768 picture with the features of a chart: a gradient, bars, lines and edges.
func chart(width: Int = 1024, height: Int = 768, shift: Int = 0) throws -> Tensor<Float> {
    let plane = width * height
    var scalars = [Float](repeating: 1, count: 3 * plane)
    for y in 0..<height {
        for x in 0..<width {
            let p = y * width + x
            var (r, g, b): (Float, Float, Float) = (0.95, 0.96, 0.98 - Float(y) / Float(height) * 0.1)
            let bar = (x - 80) / 110, inBar = (x - 80) % 110 < 70 && x >= 80 && bar < 8
            let top = 700 - (bar * 67 + 120) % 560
            if inBar, y > top + shift, y < 700 { (r, g, b) = (0.2 + Float(bar) * 0.08, 0.4, 0.8 - Float(bar) * 0.07) }
            if y == 700 || x == 60 || (y % 100 == 0 && x > 60) { (r, g, b) = (0.3, 0.3, 0.3) }
            scalars[p] = r; scalars[plane + p] = g; scalars[2 * plane + p] = b
        }
    }
    return try Tensor(shape: [1, 3, height, width], scalars: scalars)
}

func benchmark(repeats: Int) throws {
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ssim-testing-benchmark-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let reference = try ImageFile.encodePNG(try chart())
    // The same chart drawn again with every tenth pixel of its first row one level darker: passes.
    var redrawn = try chart()
    var scalars = redrawn.scalars
    for x in stride(from: 0, to: 1024, by: 10) { scalars[x] -= 1 / 255 }
    redrawn = try Tensor(shape: redrawn.shape, scalars: scalars)
    let actual = Data(try ImageFile.encodePNG(redrawn))
    let failing = Data(try ImageFile.encodePNG(try chart(shift: 1)))
    _ = try compareWithReference(.encoded(reference), named: "chart", in: folder, recording: true)
    var total: [Double] = [], decode: [Double] = [], ssimOnly: [Double] = [], failed: [Double] = []
    var report: SimilarityReport?
    for _ in 0..<repeats {
        total.append(try milliseconds { report = try expectSimilar(actual, toReference: "chart", referenceFolder: folder) })
        decode.append(
            try milliseconds {
                _ = try ImageFile.decode(Array(actual))
                _ = try ImageFile.decode(reference)
            })
        let a = try ImageFile.decode(Array(actual)).tensor, b = try ImageFile.decode(reference).tensor
        ssimOnly.append(try milliseconds { _ = try ssim(a, b, options: .kornia) })
        failed.append(
            try milliseconds {
                _ = try compareWithReference(.encoded(failing), named: "chart", in: folder, recording: false)
            })
    }
    let t = median(total), d = median(decode), s = median(ssimOnly)
    print("expectSimilar, 1024 x 768 RGB PNG vs its reference (median of \(repeats), \(ProcessInfo.processInfo.activeProcessorCount) cores)")
    print(
        String(
            format: "  total %.1f ms: decoding both PNGs %.1f ms (%.0f %%), SSIM map %.1f ms, the rest %.1f ms",
            t, d, 100 * d / t, s, t - d - s))
    print("  verdict: \(report!.outcome), mean SSIM \(report!.measurement!.meanSSIM)")
    print(
        String(
            format: "  a failing comparison (the chart's bars one pixel lower), its four pictures drawn and encoded: %.1f ms",
            median(failed)))
}

func demo(_ directory: String) throws {
    let folder = URL(fileURLWithPath: directory)
    let out = folder.appendingPathComponent("verdicts", isDirectory: true)
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        .filter { $0.hasSuffix(".png") && $0 != "reference.png" }.sorted()
    let criteria = SimilarityCriteria()
    print(
        "criteria: mean SSIM >= \(criteria.minimumSSIM), at most \(criteria.maximumDifferingFraction * 100) % "
            + "of the map below local SSIM \(criteria.localSSIM)")
    for name in names {
        let report = try compareWithReference(
            .file(folder.appendingPathComponent(name)), named: "reference", in: folder, recording: false)
        let m = report.measurement!
        let base = String(name.dropLast(4))
        print(
            String(
                format: "%-22@ %@  mean SSIM %.6f  below %.2f: %.3f %%  worst %.4f at (%d, %d)  p1 %.4f  regions %d",
                base, report.passed ? "PASS" : "FAIL", m.meanSSIM, criteria.localSSIM, 100 * m.differingFraction,
                m.statistics.worst.ssim, m.statistics.worst.x, m.statistics.worst.y, m.statistics.p1, m.regions.count))
        if ProcessInfo.processInfo.environment["SSIM_DEMO_MESSAGES"] != nil, !report.passed {
            print(report.message.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        }
        for attachment in report.attachments where attachment.name.hasSuffix(".diff.png") || attachment.name.hasSuffix(".ssim-map.png") {
            let suffix = attachment.name.dropFirst("reference".count)
            try OutputFile.write(attachment.png, to: out.appendingPathComponent(base + suffix).path)
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if let index = arguments.firstIndex(of: "--demo"), index + 1 < arguments.count {
        try demo(arguments[index + 1])
    } else {
        let repeats = arguments.firstIndex(of: "--repeat").flatMap { Int(arguments[$0 + 1]) } ?? 9
        try benchmark(repeats: repeats)
    }
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
