import Foundation
import SSIMFormats
import StructuralSimilarity

/// An image to compare with a reference: PNG or JPEG bytes, a file, a tensor or raw RGBA pixels.
///
/// Every kind becomes a `(1, C, H, W)` `Tensor<Float>` in [0, 1] (C = 1 grey, 3 RGB). Alpha is
/// dropped, as the PNG reader drops it (`SSIMFormats.DecodedImage`): render onto an opaque
/// background. A reference is recorded as an 8-bit PNG (PNG bytes are written as given).
///
/// ```swift
/// let fromBytes = TestImage.encoded(pngData)
/// let fromFile = TestImage.file(URL(fileURLWithPath: "/tmp/frame.png"))
/// let fromTensor = TestImage.tensor(try Tensor<Float>(shape: [3, 2, 2], repeating: 0.5))
/// let fromPixels = TestImage.rgba([255, 0, 0, 255], width: 1, height: 1)
/// ```
public struct TestImage: Sendable {
    enum Source: Sendable {
        case encoded([UInt8])
        case file(URL)
        case tensor(Tensor<Float>)
        case rgba([UInt8], width: Int, height: Int)
    }

    let source: Source

    /// PNG or JPEG bytes (told apart by their content).
    public static func encoded(_ bytes: Data) -> TestImage { TestImage(source: .encoded(Array(bytes))) }
    /// PNG or JPEG bytes (told apart by their content).
    public static func encoded(_ bytes: [UInt8]) -> TestImage { TestImage(source: .encoded(bytes)) }
    /// A PNG or JPEG file.
    public static func file(_ url: URL) -> TestImage { TestImage(source: .file(url)) }
    /// A `(C, H, W)` or `(1, C, H, W)` tensor, C = 1 or 3, values in [0, 1].
    public static func tensor(_ tensor: Tensor<Float>) -> TestImage { TestImage(source: .tensor(tensor)) }
    /// `width * height` pixels of R, G, B, A bytes, rows top to bottom (alpha is dropped).
    public static func rgba(_ pixels: [UInt8], width: Int, height: Int) -> TestImage {
        TestImage(source: .rgba(pixels, width: width, height: height))
    }

    /// How messages name the image.
    var label: String {
        switch source {
        case let .encoded(bytes): return "\(bytes.count) bytes of \(FileFormat(detectingContentOf: bytes)?.name ?? "image")"
        case let .file(url): return "'\(url.path)'"
        case let .tensor(tensor): return "a tensor of shape \(tensor.shape)"
        case let .rgba(_, width, height): return "\(width) x \(height) RGBA pixels"
        }
    }

    /// The image as a `(1, C, H, W)` tensor, and the PNG to record it as.
    func load() throws -> (tensor: Tensor<Float>, png: [UInt8]) {
        do {
            switch source {
            case let .encoded(bytes):
                let tensor = try ImageFile.decode(bytes).tensor
                return (tensor, FileFormat(detectingContentOf: bytes) == .png ? bytes : try ImageFile.encodePNG(tensor))
            case let .file(url):
                let bytes: [UInt8]
                do { bytes = Array(try Data(contentsOf: url)) } catch {
                    throw SSIMTestingError.unreadableImage(
                        description: label, reason: "the file cannot be read; check the path (\(error.localizedDescription))")
                }
                let tensor = try ImageFile.decode(bytes, name: url.path).tensor
                return (tensor, FileFormat(detectingContentOf: bytes) == .png ? bytes : try ImageFile.encodePNG(tensor))
            case let .tensor(tensor):
                let shape = tensor.shape
                let image: Tensor<Float>
                if shape.count == 3, shape[0] == 1 || shape[0] == 3, shape[1] >= 1, shape[2] >= 1 {
                    image = try Tensor(shape: [1] + shape, scalars: tensor.scalars)
                } else if shape.count == 4, shape[0] == 1, shape[1] == 1 || shape[1] == 3, shape[2] >= 1, shape[3] >= 1 {
                    image = tensor
                } else {
                    throw SSIMTestingError.invalidTensorShape(shape)
                }
                return (image, try ImageFile.encodePNG(image))
            case let .rgba(pixels, width, height):
                guard width >= 1, height >= 1, width <= Int(Int32.max), height <= Int(Int32.max),
                    pixels.count == width * height * 4
                else {
                    throw SSIMTestingError.invalidPixelBuffer(count: pixels.count, width: width, height: height)
                }
                let plane = width * height
                var scalars = [Float](repeating: 0, count: 3 * plane)
                for pixel in 0..<plane {
                    for channel in 0..<3 { scalars[channel * plane + pixel] = Float(pixels[pixel * 4 + channel]) / 255 }
                }
                let image = try Tensor(shape: [1, 3, height, width], scalars: scalars)
                return (image, try ImageFile.encodePNG(image))
            }
        } catch let error as SSIMTestingError {
            throw error
        } catch {
            throw SSIMTestingError.unreadableImage(description: label, reason: "\(error)")
        }
    }
}
