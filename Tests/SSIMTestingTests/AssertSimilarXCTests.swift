import SSIMTesting
import XCTest

/// `assertSimilar` inside a real XCTest run, against `__References__/AssertSimilarXCTests/`.
final class AssertSimilarXCTests: XCTestCase {
    func testPictureMatchesItsReference() throws {
        let report = try assertSimilar(.tensor(try TestPictures.picture()), toReference: "picture", minimumSSIM: 0.99)
        XCTAssertTrue(report.passed)
    }
}
