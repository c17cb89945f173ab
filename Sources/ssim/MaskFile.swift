import Foundation
import SSIMFormats
import StructuralSimilarity

/// `--mask PATH`: the weights of a masked comparison (``ssim(_:_:options:weights:ignoringNaN:)``),
/// from an image (PNG, JPEG, ...: its values in [0, 1], a grey mask `(1, 1, H, W)`, a colour one
/// `(1, C, H, W)`) or a `.npy` file (its values as stored, `(H, W)`, `(C, H, W)` or `(B, C, H, W)`
/// with `C` 1 or the images'). In a folder comparison `PATH` is one mask for every pair, or a
/// folder holding a mask of each pair's name.
enum MaskFile {
    /// The mask of the pair named `name`: `mask` itself, or the file of that name in the folder `mask`.
    ///
    /// - Throws: ``DataError`` when the folder has no such file.
    static func path(_ mask: String, forPairNamed name: String) throws -> String {
        guard Command.isFolder(mask) else { return mask }
        let path = (mask as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(
                description: "the folder of masks '\(mask)' has no '\(name)'; it needs a mask of each pair's name "
                    + "(or give one mask file for every pair)")
        }
        return path
    }

    /// The weights of the mask at `path` in `Scalar`, with the images' transparency rules of
    /// `images` (the default composites over white).
    static func weights<Scalar: SSIMScalar>(_ path: String, _ images: ImageSettings, as _: Scalar.Type = Scalar.self) throws -> Tensor<Scalar> {
        switch try InputTensor(reading: path, images) {
        case let .float(tensor): return NumPyArray.float32(tensor).tensor(of: Scalar.self)
        case let .double(tensor): return NumPyArray.float64(tensor).tensor(of: Scalar.self)
        }
    }
}
