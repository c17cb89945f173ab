import Foundation
import Testing
import StructuralSimilarity
import SSIMFormats

@Suite struct JPEGRoundTripTests {
    @Test func keepsShapeAndDegradesWithLowerQuality() throws {
        let scalars = (0..<2 * 3 * 256).map { (index: Int) -> Double in
            let (x, y) = (Double(index % 16), Double(index / 16 % 16))
            return 0.5 + 0.4 * sin(x * 0.9) * cos(y * 0.7)
        }
        let images = try Tensor<Double>(shape: [2, 3, 16, 16], scalars: scalars)
        let good = try jpegRoundTrip(images, quality: 95)
        let bad = try jpegRoundTrip(images, quality: 5)
        #expect(good.shape == images.shape && bad.shape == images.shape)
        func error(_ result: Tensor<Double>) -> Double {
            zip(result.scalars, images.scalars).map { abs($0 - $1) }.reduce(0, +) / Double(images.scalars.count)
        }
        #expect(error(good) < 0.02)
        #expect(error(bad) > error(good))
        #expect(try jpegRoundTrip(try Tensor<Float>(shape: [1, 1, 3, 5], repeating: 0.25), quality: 50).shape == [1, 1, 3, 5])
    }

    @Test func rejectsBadQualityAndShapes() throws {
        let image = try Tensor<Float>(shape: [1, 3, 4, 4], repeating: 0)
        #expect(throws: FormatError.invalidJPEGQuality(0)) { try jpegRoundTrip(image, quality: 0) }
        #expect(throws: FormatError.self) { try jpegRoundTrip(try Tensor<Float>(shape: [1, 2, 4, 4], repeating: 0), quality: 50) }
        #expect(throws: FormatError.self) { try jpegRoundTrip(try Tensor<Float>(shape: [0, 3, 4, 4], repeating: 0), quality: 50) }
    }
}
