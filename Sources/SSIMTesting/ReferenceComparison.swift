import Foundation
import SSIMFormats
import StructuralSimilarity

/// Whether the references are being re-recorded: the environment variable
/// `SSIM_RECORD_REFERENCES` set to `1`, `true` or `yes`.
///
/// ```
/// SSIM_RECORD_REFERENCES=1 swift test      # every compared image becomes its reference
/// ```
///
/// ```swift
/// if ReferenceRecording.isEnabled { print("re-recording") }
/// ```
public enum ReferenceRecording {
    /// The variable's name.
    public static let environmentVariable = "SSIM_RECORD_REFERENCES"

    /// Whether the variable is set to `1`, `true` or `yes` (any case).
    public static var isEnabled: Bool {
        guard let value = ProcessInfo.processInfo.environment[environmentVariable] else { return false }
        return ["1", "true", "yes"].contains(value.lowercased())
    }

    /// The folder of the references of the test file at `filePath`:
    /// `<its folder>/__References__/<its name without .swift>/`.
    ///
    /// ```swift
    /// ReferenceRecording.folder(forTestFile: "/src/Tests/AppTests/ChartTests.swift")
    /// // /src/Tests/AppTests/__References__/ChartTests/
    /// ```
    public static func folder(forTestFile filePath: String) -> URL {
        let file = URL(fileURLWithPath: filePath)
        return file.deletingLastPathComponent()
            .appendingPathComponent("__References__", isDirectory: true)
            .appendingPathComponent(file.deletingPathExtension().lastPathComponent, isDirectory: true)
    }
}

/// A picture made for a failed comparison: PNG bytes and a file name.
public struct SimilarityAttachment: Sendable, Equatable {
    /// `<reference name>.actual.png`, `.reference.png`, `.ssim-map.png` or `.diff.png`.
    public var name: String
    /// The PNG file's bytes.
    public var png: [UInt8]
}

/// What comparing an image with its reference measured.
///
/// ```swift
/// let report = try compareWithReference(.encoded(png), named: "chart", in: folder)
/// if let m = report.measurement { print(m.meanSSIM, m.differingFraction, m.statistics.worst) }
/// ```
public struct SimilarityMeasurement: Sendable, Equatable {
    /// The mean of the SSIM map over every channel and position.
    public var meanSSIM: Double
    /// The fraction of positions whose local SSIM is below the criteria's `localSSIM`.
    public var differingFraction: Double
    /// The percentiles of the local map, its worst window, PSNR and MSE.
    public var statistics: SSIMStatistics
    /// The regions below `localSSIM`, lowest SSIM first.
    public var regions: [DifferenceRegion]
}

/// The verdict of a comparison with a reference, with what a failure reports.
public struct SimilarityReport: Sendable {
    /// What happened.
    public enum Outcome: Sendable, Equatable {
        /// The image meets the criteria.
        case passed
        /// The image does not meet them.
        case failed
        /// The reference was written (it was missing, or recording is on): the test fails so that
        /// a recorded picture is looked at before it is committed.
        case recorded
    }

    /// The verdict.
    public var outcome: Outcome
    /// The reference file.
    public var referencePath: String
    /// The numbers (nil when the reference was just recorded).
    public var measurement: SimilarityMeasurement?
    /// The criteria applied.
    public var criteria: SimilarityCriteria
    /// The issue's text: what was required and what was measured (empty when passed).
    public var message: String
    /// The pictures of a failure: actual, reference, SSIM heat-map, overlay (or the recorded
    /// reference); empty when passed.
    public var attachments: [SimilarityAttachment]

    /// Whether the comparison passed.
    public var passed: Bool { outcome == .passed }
}

/// Compares an image with the reference `<folder>/<name>.png`, records nothing in the test, and
/// returns the verdict: the core of ``expectSimilar(_:toReference:minimumSSIM:criteria:referenceFolder:filePath:sourceLocation:)-(TestImage,_,_,_,_,_,_)``.
///
/// A missing reference, or any reference while `recording` is on, is written (atomically, the
/// folder created) and the outcome is ``SimilarityReport/Outcome/recorded``; a reference is never
/// overwritten otherwise. Results do not depend on the number of threads; across the kernels'
/// instruction-set clones (SSE2, AVX2, AVX-512) they differ only in the last bits of a Float.
///
/// ```swift
/// let folder = URL(fileURLWithPath: "/tmp/references")
/// let report = try compareWithReference(.encoded(png), named: "chart", in: folder)
/// print(report.outcome, report.measurement?.meanSSIM ?? .nan)
/// ```
///
/// - Parameters:
///   - image: the image to test.
///   - name: the reference's name, without `.png`.
///   - folder: the folder of the references.
///   - criteria: when the image passes.
///   - recording: whether to overwrite the reference with the image (``ReferenceRecording/isEnabled`` by default).
/// - Returns: the verdict, the measurements, the issue's message and the failure's pictures.
/// - Throws: ``SSIMTestingError``: an unreadable image or reference, a size mismatch, a bad name or criteria.
public func compareWithReference(
    _ image: TestImage, named name: String, in folder: URL, criteria: SimilarityCriteria = SimilarityCriteria(),
    recording: Bool = ReferenceRecording.isEnabled
) throws(SSIMTestingError) -> SimilarityReport {
    guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { throw .invalidReferenceName(name) }
    try criteria.validate()
    let path = folder.appendingPathComponent(name + ".png").path
    let actual: (tensor: Tensor<Float>, png: [UInt8])
    do { actual = try image.load() } catch let error as SSIMTestingError { throw error } catch {
        throw .unreadableImage(description: image.label, reason: "\(error)")
    }
    if recording || !FileManager.default.fileExists(atPath: path) {
        let reason = recording ? "\(ReferenceRecording.environmentVariable) is set" : "it did not exist"
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try OutputFile.write(actual.png, to: path)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        let message =
            "Recorded the reference '\(path)' (\(reason)); look at it, commit it and run the test again"
            + (recording ? " without \(ReferenceRecording.environmentVariable)" : "")
        return SimilarityReport(
            outcome: .recorded, referencePath: path, measurement: nil, criteria: criteria, message: message,
            attachments: [SimilarityAttachment(name: name + ".reference.png", png: actual.png)])
    }
    let referenceBytes: [UInt8], reference: Tensor<Float>
    do {
        referenceBytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        reference = try ImageFile.decode(referenceBytes, name: path).tensor
    } catch {
        throw .unreadableReference(path: path, reason: error is FormatError ? "\(error)" : "the file cannot be read")
    }
    var x = actual.tensor, y = reference
    guard x.shape[2] == y.shape[2], x.shape[3] == y.shape[3] else {
        throw .sizeMismatch(referencePath: path, reference: (y.shape[3], y.shape[2]), actual: (x.shape[3], x.shape[2]))
    }
    // A grey image against a colour one: the grey one's plane is repeated.
    if x.shape[1] != y.shape[1] {
        if x.shape[1] == 1 { x = repeatedToRGB(x) } else { y = repeatedToRGB(y) }
    }
    let measurement: SimilarityMeasurement, local: LocalSSIMMap
    do {
        let map = try ssim(x, y, options: criteria.options)
        local = try LocalSSIMMap(map)
        let range = Double(try criteria.options.dataRange.resolved(for: x, y))
        measurement = SimilarityMeasurement(
            meanSSIM: map.scalars.reduce(0.0) { $0 + Double($1) } / Double(map.scalars.count),
            differingFraction: local.fraction(below: criteria.localSSIM),
            statistics: try SSIMStatistics(local: local, x, y, dataRange: range),
            regions: DifferenceOverlay(threshold: criteria.localSSIM).regions(in: local))
    } catch {
        throw .comparisonFailed("\(error)")
    }
    let meanPasses = measurement.meanSSIM >= criteria.minimumSSIM
    let localPasses = measurement.differingFraction <= criteria.maximumDifferingFraction
    if meanPasses && localPasses {
        return SimilarityReport(
            outcome: .passed, referencePath: path, measurement: measurement, criteria: criteria, message: "", attachments: [])
    }
    var attachments = [
        SimilarityAttachment(name: name + ".actual.png", png: actual.png),
        SimilarityAttachment(name: name + ".reference.png", png: referenceBytes),
    ]
    do {
        let heat = try HeatMap(scale: .automatic).render(try local.tensor())
        attachments.append(SimilarityAttachment(name: name + ".ssim-map.png", png: try ImageFile.encodePNG(heat)))
        let overlay = try DifferenceOverlay(threshold: criteria.localSSIM).render(
            reference: y, map: local, regions: measurement.regions)
        attachments.append(SimilarityAttachment(name: name + ".diff.png", png: try ImageFile.encodePNG(overlay)))
    } catch {
        throw .comparisonFailed("drawing the failure's pictures: \(error)")
    }
    let message = failureMessage(
        name: name, path: path, criteria: criteria, measurement: measurement, meanPasses: meanPasses,
        localPasses: localPasses, attachments: attachments.map(\.name))
    return SimilarityReport(
        outcome: .failed, referencePath: path, measurement: measurement, criteria: criteria, message: message,
        attachments: attachments)
}

/// The issue's text.
func failureMessage(
    name: String, path: String, criteria: SimilarityCriteria, measurement m: SimilarityMeasurement,
    meanPasses: Bool, localPasses: Bool, attachments: [String]
) -> String {
    let s = m.statistics
    func f(_ value: Double, _ digits: Int = 4) -> String { value.isNaN ? "nan" : String(format: "%.\(digits)f", value) }
    func percent(_ value: Double) -> String { String(format: "%.3f %%", 100 * value) }
    var lines = [
        "'\(name)' is not similar enough to its reference '\(path)'",
        "  required: mean SSIM >= \(criteria.minimumSSIM), and at most \(percent(criteria.maximumDifferingFraction)) "
            + "of the map below local SSIM \(criteria.localSSIM)",
        "  measured: mean SSIM \(f(m.meanSSIM, 6))\(meanPasses ? "" : " (too low)"), "
            + "\(percent(m.differingFraction)) of the map below \(criteria.localSSIM)\(localPasses ? "" : " (too much)")",
        "  worst window: SSIM \(f(s.worst.ssim)) at x \(s.worst.x), y \(s.worst.y); map percentiles: min \(f(s.minimum)), "
            + "p1 \(f(s.p1)), p5 \(f(s.p5)), p50 \(f(s.p50)); PSNR \(s.psnr.isFinite ? f(s.psnr, 2) + " dB" : "infinite"), "
            + "MSE \(String(format: "%.3g", s.mse))",
    ]
    if !m.regions.isEmpty {
        let shown = m.regions.prefix(5).map {
            "x \($0.x)...\($0.x + $0.width - 1), y \($0.y)...\($0.y + $0.height - 1) (min \(f($0.minimumSSIM)))"
        }
        lines.append(
            "  \(m.regions.count) region\(m.regions.count == 1 ? "" : "s") below \(criteria.localSSIM): "
                + shown.joined(separator: "; ") + (m.regions.count > 5 ? "; ..." : ""))
    }
    lines.append("  attached: " + attachments.joined(separator: ", "))
    return lines.joined(separator: "\n")
}

/// A `(1, 1, H, W)` image as `(1, 3, H, W)`.
func repeatedToRGB(_ grey: Tensor<Float>) -> Tensor<Float> {
    let shape = grey.shape
    return try! Tensor(shape: [1, 3, shape[2], shape[3]], scalars: grey.scalars + grey.scalars + grey.scalars)
}
