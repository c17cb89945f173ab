import Testing
import StructuralSimilarity
import SSIMFormats

@Suite struct NumPyArrayTests {
    @Test func reportsShapeAndDType() throws {
        let array = NumPyArray.float64(try Tensor(shape: [2, 3], repeating: 0))
        #expect(array.shape == [2, 3] && array.dtype == .float64)
        #expect(NumPyArray.float32(Tensor(1)).dtype == .float32)
        #expect(NumPyDType.allCases.map(\.byteCount) == [4, 8, 1])
    }

    @Test func convertsBetweenPrecisions() throws {
        let floats = NumPyArray.float32(try Tensor(shape: [2], scalars: [0.1, 2]))
        #expect(floats.tensor(of: Double.self).scalars == [Double(Float(0.1)), 2])
        #expect(floats.tensor(of: Float.self).scalars == [0.1, 2])
        let doubles = NumPyArray.float64(try Tensor(shape: [1], scalars: [0.1]))
        #expect(doubles.tensor(of: Float.self).scalars == [0.1])
    }
}
