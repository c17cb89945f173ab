import Foundation
import StructuralSimilarity
import Testing

/// Checks, in a Swift Testing test, that an image is similar to its reference picture.
///
/// The reference is `__References__/<test file name>/<name>.png` beside the test file (from
/// `filePath`), or `<referenceFolder>/<name>.png`. The image passes when its mean SSIM is at
/// least `minimumSSIM` and at most `criteria.maximumDifferingFraction` of its local SSIM map is
/// below `criteria.localSSIM` (``SimilarityCriteria``).
///
/// On failure one issue is recorded, saying what was required and what was measured (mean SSIM,
/// the worst window's SSIM and position, the map's percentiles, PSNR, MSE, the regions), with four
/// attachments: the actual image, the reference, the SSIM heat-map with its colour bar and an
/// overlay that fades the reference and boxes the regions that differ
/// (`swift test --attachments-path DIR` writes them out). A missing reference is recorded and the
/// test fails saying so; `SSIM_RECORD_REFERENCES=1` re-records every reference.
///
/// The verdict is the same on every machine: it does not depend on the number of threads, and
/// the kernels' instruction-set clones agree to the last bits of a Float.
///
/// In the body of a `@Test` function (`import Testing` too: the default `sourceLocation` is
/// its macro):
///
/// ```swift
/// let png: Data = try renderChart()
/// try expectSimilar(png, toReference: "chart", minimumSSIM: 0.99)
/// ```
///
/// - Parameters:
///   - image: the image to test (``TestImage``: PNG or JPEG bytes, a file, a tensor, RGBA pixels).
///   - name: the reference's name, without `.png`.
///   - minimumSSIM: the least mean SSIM; `nil` takes `criteria.minimumSSIM`.
///   - criteria: the rest of the criteria.
///   - referenceFolder: where the references are, instead of beside the test file.
///   - filePath: the test file, whose folder holds `__References__` (the caller's, by default).
///   - sourceLocation: where the issue is recorded (the call, by default).
/// - Returns: the report (also when the test fails).
/// - Throws: ``SSIMTestingError`` when the image or the reference cannot be compared.
@discardableResult
public func expectSimilar(
    _ image: TestImage, toReference name: String, minimumSSIM: Double? = nil,
    criteria: SimilarityCriteria = SimilarityCriteria(), referenceFolder: URL? = nil,
    filePath: StaticString = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) throws(SSIMTestingError) -> SimilarityReport {
    var criteria = criteria
    if let minimumSSIM { criteria.minimumSSIM = minimumSSIM }
    let folder = referenceFolder ?? ReferenceRecording.folder(forTestFile: "\(filePath)")
    let report = try compareWithReference(image, named: name, in: folder, criteria: criteria)
    if !report.passed {
        for attachment in report.attachments {
            Attachment.record(attachment.png, named: attachment.name, sourceLocation: sourceLocation)
        }
        Issue.record(Comment(rawValue: report.message), sourceLocation: sourceLocation)
    }
    return report
}

/// Checks PNG or JPEG bytes against a reference (see
/// ``expectSimilar(_:toReference:minimumSSIM:criteria:referenceFolder:filePath:sourceLocation:)-(TestImage,_,_,_,_,_,_)``).
///
/// ```swift
/// try expectSimilar(pngData, toReference: "chart")
/// ```
@discardableResult
public func expectSimilar(
    _ bytes: Data, toReference name: String, minimumSSIM: Double? = nil,
    criteria: SimilarityCriteria = SimilarityCriteria(), referenceFolder: URL? = nil,
    filePath: StaticString = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) throws(SSIMTestingError) -> SimilarityReport {
    try expectSimilar(
        .encoded(bytes), toReference: name, minimumSSIM: minimumSSIM, criteria: criteria,
        referenceFolder: referenceFolder, filePath: filePath, sourceLocation: sourceLocation)
}

/// Checks a PNG or JPEG file against a reference.
///
/// ```swift
/// try expectSimilar(URL(fileURLWithPath: "/tmp/frame.png"), toReference: "frame")
/// ```
@discardableResult
public func expectSimilar(
    _ file: URL, toReference name: String, minimumSSIM: Double? = nil,
    criteria: SimilarityCriteria = SimilarityCriteria(), referenceFolder: URL? = nil,
    filePath: StaticString = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) throws(SSIMTestingError) -> SimilarityReport {
    try expectSimilar(
        .file(file), toReference: name, minimumSSIM: minimumSSIM, criteria: criteria,
        referenceFolder: referenceFolder, filePath: filePath, sourceLocation: sourceLocation)
}

/// Checks a `(C, H, W)` or `(1, C, H, W)` tensor in [0, 1] against a reference.
///
/// ```swift
/// try expectSimilar(try Tensor<Float>(shape: [3, 32, 32], repeating: 0.5), toReference: "grey")
/// ```
@discardableResult
public func expectSimilar(
    _ tensor: Tensor<Float>, toReference name: String, minimumSSIM: Double? = nil,
    criteria: SimilarityCriteria = SimilarityCriteria(), referenceFolder: URL? = nil,
    filePath: StaticString = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) throws(SSIMTestingError) -> SimilarityReport {
    try expectSimilar(
        .tensor(tensor), toReference: name, minimumSSIM: minimumSSIM, criteria: criteria,
        referenceFolder: referenceFolder, filePath: filePath, sourceLocation: sourceLocation)
}

/// Checks raw RGBA pixels (`width * height * 4` bytes, rows top to bottom) against a reference.
///
/// ```swift
/// try expectSimilar(rgba: pixels, width: 64, height: 48, toReference: "frame")
/// ```
@discardableResult
public func expectSimilar(
    rgba pixels: [UInt8], width: Int, height: Int, toReference name: String, minimumSSIM: Double? = nil,
    criteria: SimilarityCriteria = SimilarityCriteria(), referenceFolder: URL? = nil,
    filePath: StaticString = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) throws(SSIMTestingError) -> SimilarityReport {
    try expectSimilar(
        .rgba(pixels, width: width, height: height), toReference: name, minimumSSIM: minimumSSIM,
        criteria: criteria, referenceFolder: referenceFolder, filePath: filePath, sourceLocation: sourceLocation)
}
