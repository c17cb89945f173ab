import SSIMFormats
import StructuralSimilarity

/// The errors of SSIMTesting: an image or a reference that cannot be compared. Each message
/// names the file or the value and says what to do.
///
/// A failed comparison is not an error: it is an issue recorded in the test (or an `XCTFail`).
///
/// ```swift
/// do { try expectSimilar(png, toReference: "chart") }
/// catch let error as SSIMTestingError { print(error) }
/// ```
public enum SSIMTestingError: Error, Equatable, Sendable {
    /// The reference name is empty, contains a `/` or starts with a `.`.
    case invalidReferenceName(String)
    /// The image to test cannot be decoded or read (the underlying message says why).
    case unreadableImage(description: String, reason: String)
    /// The reference file exists but cannot be read or decoded.
    case unreadableReference(path: String, reason: String)
    /// The image and its reference have different sizes.
    case sizeMismatch(referencePath: String, reference: (width: Int, height: Int), actual: (width: Int, height: Int))
    /// A tensor that is not `(C, H, W)` or `(1, C, H, W)` with C = 1 or 3.
    case invalidTensorShape([Int])
    /// Raw RGBA pixels whose count is not `width * height * 4`, or a side below 1.
    case invalidPixelBuffer(count: Int, width: Int, height: Int)
    /// A criterion out of range (the message names it).
    case invalidCriteria(String)
    /// The image is too small for the SSIM window, or another SSIM error.
    case comparisonFailed(String)
    /// A reference or failure picture could not be written.
    case cannotWrite(path: String, reason: String)

    public static func == (lhs: SSIMTestingError, rhs: SSIMTestingError) -> Bool {
        lhs.description == rhs.description
    }
}

extension SSIMTestingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidReferenceName(name):
            return "'\(name)' cannot name a reference: use a non-empty name without '/' that does not start with '.', "
                + "such as \"chart\" (it becomes chart.png)"
        case let .unreadableImage(description, reason):
            return "cannot read the image to test (\(description)): \(reason)"
        case let .unreadableReference(path, reason):
            return "cannot read the reference '\(path)': \(reason); delete it and run the test again to record a new one, "
                + "or restore it from version control"
        case let .sizeMismatch(path, reference, actual):
            return "the image is \(actual.width) x \(actual.height) pixels but its reference '\(path)' is "
                + "\(reference.width) x \(reference.height); if the new size is intended, re-record with "
                + "\(ReferenceRecording.environmentVariable)=1, otherwise render at the reference's size"
        case let .invalidTensorShape(shape):
            return "a tensor of shape \(shape) is not an image: pass (C, H, W) or (1, C, H, W) with C = 1 (grey) or 3 (RGB) "
                + "and values in [0, 1]"
        case let .invalidPixelBuffer(count, width, height):
            return "\(count) bytes are not \(width) x \(height) RGBA pixels: pass width * height * 4 = "
                + "\(max(0, width) * max(0, height) * 4) bytes, R, G, B, A per pixel, rows top to bottom, and sides of at least 1"
        case let .invalidCriteria(message):
            return message
        case let .comparisonFailed(message):
            return "cannot compare the image with its reference: \(message)"
        case let .cannotWrite(path, reason):
            return "cannot write '\(path)': \(reason); check that the folder is writable"
        }
    }
}
