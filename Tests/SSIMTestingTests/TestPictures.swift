import Foundation
import SSIMFormats
import StructuralSimilarity

/// Small deterministic pictures (debug builds of the kernels are slow: 48 x 40 pixels).
enum TestPictures {
    static let width = 48, height = 40

    /// A picture with a gradient, two rectangles and a diagonal line; `broken` paints a 6 x 6
    /// block of it black, `smallBlock` a 3 x 3
    /// one at (100, 60) (for a picture of 128 x 96: small enough to keep the mean SSIM above 0.98).
    static func picture(
        broken: Bool = false, smallBlock: Bool = false, width: Int = TestPictures.width, height: Int = TestPictures.height
    ) throws -> Tensor<Float> {
        let plane = width * height
        var scalars = [Float](repeating: 0, count: 3 * plane)
        for y in 0..<height {
            for x in 0..<width {
                var rgb: (Float, Float, Float) = (0.9, 0.92, 0.95 - Float(y) * 0.004)
                if (6..<20).contains(x), (8..<30).contains(y) { rgb = (0.2, 0.45, 0.85) }
                if (26..<42).contains(x), (20..<34).contains(y) { rgb = (0.85, 0.3, 0.2) }
                if x == y + 4 { rgb = (0.1, 0.1, 0.1) }
                if broken, (30..<36).contains(x), (4..<10).contains(y) { rgb = (0, 0, 0) }
                if smallBlock, (100..<103).contains(x), (60..<63).contains(y) { rgb = (0, 0, 0) }
                let p = y * width + x
                (scalars[p], scalars[plane + p], scalars[2 * plane + p]) = rgb
            }
        }
        return try Tensor(shape: [1, 3, height, width], scalars: scalars)
    }

    static func png(_ tensor: Tensor<Float>) throws -> Data { Data(try ImageFile.encodePNG(tensor)) }

    /// The picture as RGBA bytes, alpha 255.
    static func rgba(_ tensor: Tensor<Float>) -> [UInt8] {
        let plane = width * height
        var bytes: [UInt8] = []
        for p in 0..<plane {
            for c in 0..<3 { bytes.append(UInt8((tensor.scalars[c * plane + p] * 255).rounded())) }
            bytes.append(255)
        }
        return bytes
    }

    static func temporaryFolder() throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ssim-testing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
