import Testing
import StructuralSimilarity
@testable import SSIMFormats

@Suite struct CodecTests {
    @Test func rasterInterleavesQuantisedChannels() throws {
        let tensor = try Tensor<Double>(shape: [2, 3, 1, 2], scalars: [0, 1, 0.5, -3, 0.2, .nan] + Array(repeating: 1, count: 6))
        let first = try Raster8(tensor)
        #expect((first.width, first.height, first.channels) == (2, 1, 3))
        #expect(first.samples == [0, 128, 51, 255, 0, 0])
        #expect(try Raster8(tensor, batch: 1).samples == Array(repeating: 255, count: 6))
    }

    @Test func encoderErrorsAreFormatErrors() throws {
        let raster = try Raster8(try Tensor<Float>(shape: [1, 1, 2, 2], repeating: 0.5))
        #expect(formatError { _ = try Codec.encode(raster, as: .jpeg, quality: 101) } == .invalidJPEGQuality(101))
        #expect(formatError { _ = try Codec.encode(raster, as: .jpeg, quality: 0) } == .invalidJPEGQuality(0))
        #expect(try Codec.encode(raster, as: .jpeg, quality: 1).starts(with: [0xFF, 0xD8, 0xFF]))
    }
}
