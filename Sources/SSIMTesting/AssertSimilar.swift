import Foundation
import SSIMFormats
import XCTest

/// Checks, in an XCTest test, that an image is similar to its reference picture: the same
/// comparison and criteria as
/// ``expectSimilar(_:toReference:minimumSSIM:criteria:referenceFolder:filePath:sourceLocation:)-(TestImage,_,_,_,_,_,_)``.
///
/// On failure it calls `XCTFail` with the same message and writes the same four pictures to
/// `__Failures__/` inside the reference folder (`<name>.actual.png`, `.reference.png`,
/// `.ssim-map.png`, `.diff.png`; add `__Failures__/` to `.gitignore`). A passing comparison
/// removes that reference's old failure pictures.
///
/// ```swift
/// final class ChartTests: XCTestCase {
///     func testChart() throws {
///         try assertSimilar(.encoded(try renderChart()), toReference: "chart", minimumSSIM: 0.99)
///     }
/// }
/// ```
///
/// - Returns: the report (also when the test fails).
/// - Throws: ``SSIMTestingError`` when the image or the reference cannot be compared.
@discardableResult
public func assertSimilar(
    _ image: TestImage, toReference name: String, minimumSSIM: Double? = nil,
    criteria: SimilarityCriteria = SimilarityCriteria(), referenceFolder: URL? = nil,
    file: StaticString = #filePath, line: UInt = #line
) throws(SSIMTestingError) -> SimilarityReport {
    try assertSimilar(
        image, toReference: name, minimumSSIM: minimumSSIM, criteria: criteria, referenceFolder: referenceFolder,
        file: file, line: line, recording: ReferenceRecording.isEnabled
    ) { message, file, line in
        XCTFail(message, file: file, line: line)
    }
}

/// ``assertSimilar(_:toReference:minimumSSIM:criteria:referenceFolder:file:line:)`` with the
/// failure reported through `fail` (the tests' hook).
func assertSimilar(
    _ image: TestImage, toReference name: String, minimumSSIM: Double?, criteria: SimilarityCriteria,
    referenceFolder: URL?, file: StaticString, line: UInt, recording: Bool,
    fail: (String, StaticString, UInt) -> Void
) throws(SSIMTestingError) -> SimilarityReport {
    var criteria = criteria
    if let minimumSSIM { criteria.minimumSSIM = minimumSSIM }
    let folder = referenceFolder ?? ReferenceRecording.folder(forTestFile: "\(file)")
    let report = try compareWithReference(image, named: name, in: folder, criteria: criteria, recording: recording)
    let failures = folder.appendingPathComponent("__Failures__", isDirectory: true)
    let suffixes = [".actual.png", ".reference.png", ".ssim-map.png", ".diff.png"]
    if report.passed {
        for suffix in suffixes {
            try? FileManager.default.removeItem(at: failures.appendingPathComponent(name + suffix))
        }
        return report
    }
    var message = report.message
    if report.outcome == .failed {
        do {
            try FileManager.default.createDirectory(at: failures, withIntermediateDirectories: true)
            for attachment in report.attachments {
                try OutputFile.write(attachment.png, to: failures.appendingPathComponent(attachment.name).path)
            }
        } catch {
            throw .cannotWrite(path: failures.path, reason: "\(error)")
        }
        message += "\n  pictures written to '\(failures.path)'"
    }
    fail(message, file, line)
    return report
}
