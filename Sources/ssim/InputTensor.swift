import Dispatch
import SSIMFormats
import StructuralSimilarity

/// An input file read as a tensor `(B, C, H, W)`, or a volume `(B, C, D, H, W)` from a rank-5
/// `.npy`, in the precision the file stores.
///
/// Images (PNG, JPEG, WebP, AVIF, TIFF, GIF, BMP, PNM, told apart by content) become float32 in
/// [0, 1], their transparency handled by `--alpha`, colour profile and orientation by `--icc` and
/// `--orientation`; `.npy` float32 and uint8 (not rescaled) become float32, float64 stays float64.
enum InputTensor {
    case float(Tensor<Float>)
    case double(Tensor<Double>)

    /// Reads `path`: a `.npy` file by its extension, any other file as an image.
    ///
    /// - Throws: the ``FormatError`` of the reader.
    init(reading path: String, _ images: ImageSettings = ImageSettings()) throws {
        guard FileFormat(pathExtensionOf: path) == .npy else {
            self = .float(try images.alpha.apply(to: ImageFile.read(path, options: images.read)))
            return
        }
        // Ranks 2 and 3 come as (B, C, H, W), rank 5 as a volume (B, C, D, H, W).
        let decoded = try NumPyFile.read(path)
        switch decoded.array {
        case let .float32(tensor): self = .float(tensor)
        case let .float64(tensor): self = .double(tensor)
        }
    }

    /// Reads both files at once, each decoded on its own core (the decoders keep no shared
    /// state), and returns them in order; when both fail, the first file's error is thrown, as a
    /// reading one after the other would.
    static func reading(_ path1: String, _ path2: String, _ images: ImageSettings = ImageSettings()) throws -> (InputTensor, InputTensor) {
        final class Results: @unchecked Sendable {
            var first: Result<InputTensor, any Error>?
            var second: Result<InputTensor, any Error>?
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 {
                results.first = Result { try InputTensor(reading: path1, images) }
            } else {
                results.second = Result { try InputTensor(reading: path2, images) }
            }
        }
        return (try results.first!.get(), try results.second!.get())
    }

    /// The tensor in Double precision (exact for float32).
    var promoted: Tensor<Double> {
        switch self {
        case let .float(tensor): return NumPyArray.float32(tensor).tensor(of: Double.self)
        case let .double(tensor): return tensor
        }
    }
}
