// Shared by the `png`, `jpeg` and `images` fuzz targets: what a successful decode must satisfy.
import SSIMFormats
import StructuralSimilarity

/// The largest image the targets decode: the library's default, the limit the `ssim` command uses.
let fuzzMaximumPixelCount = ImageFile.defaultMaximumPixelCount

/// Decodes `bytes` as a file called `name`. A `FormatError` is the expected outcome for malformed
/// input; any other error type breaks the documented contract and traps, so libFuzzer reports it.
/// A decoded image must be (1, C, H, W) with C = 1 or 3, within the pixel limit, values in [0, 1].
func checkImageDecode(_ bytes: [UInt8], name: String) {
    let image: DecodedImage
    do {
        image = try ImageFile.decode(bytes, name: name, maximumPixelCount: fuzzMaximumPixelCount)
    } catch let error as FormatError {
        fuzzReport("\(name): FormatError: \(error)")
        return
    } catch {
        fatalError("ImageFile.decode threw \(type(of: error)), not a FormatError: \(error)")
    }
    let shape = image.tensor.shape
    fuzzReport("\(name): decoded \(image.format) \(shape) \(image.bitDepth)-bit alpha dropped: \(image.droppedAlpha)")
    precondition(shape.count == 4 && shape[0] == 1, "decoded shape \(shape) is not (1, C, H, W)")
    precondition(shape[1] == 1 || shape[1] == 3, "decoded shape \(shape) has \(shape[1]) channels")
    precondition(
        shape[2] >= 1 && shape[3] >= 1 && shape[2] * shape[3] <= fuzzMaximumPixelCount,
        "decoded shape \(shape) is empty or above the pixel limit")
    precondition(image.tensor.scalars.count == shape.reduce(1, *), "scalar count does not match \(shape)")
    precondition(
        image.bitDepth == 8 || image.bitDepth == 16 || (image.bitDepth == 32 && image.format == .tiff),
        "bit depth \(image.bitDepth)")
    precondition(image.format.isImage, "format \(image.format)")
    precondition(image.format != .jpeg || (image.bitDepth == 8 && !image.droppedAlpha), "JPEG with \(image.bitDepth) bits or alpha")
    precondition(image.droppedAlpha == (image.alpha != nil), "droppedAlpha without an alpha plane, or the reverse")
    if let alpha = image.alpha {
        precondition(alpha.shape == [1, 1, shape[2], shape[3]], "alpha shape \(alpha.shape) for \(shape)")
        for value in alpha.scalars where !(value >= 0 && value <= 1) { preconditionFailure("alpha \(value) outside [0, 1]") }
    }
    // Float TIFF samples are kept as stored (any value); integer samples are scaled to [0, 1].
    if image.bitDepth != 32 {
        for value in image.tensor.scalars where !(value >= 0 && value <= 1) {
            preconditionFailure("decoded sample \(value) is outside [0, 1]")
        }
    }
}
