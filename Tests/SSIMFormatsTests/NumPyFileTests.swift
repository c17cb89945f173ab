import Testing
import StructuralSimilarity
@testable import SSIMFormats

@Suite struct NumPyFileTests {
    typealias F = Fixtures

    @Test func readsNumPyWrittenFilesOfEveryDTypeRankAndVersion() throws {
        let f4 = try NumPyFile.read(F.path("f4-rank2.npy"))
        #expect(f4.array == .float32(try Tensor(shape: [1, 1, 3, 4], scalars: (0..<12).map { Float($0) / 8 })))
        #expect(f4.storedShape == [3, 4] && f4.storedDType == .float32)

        let f8 = try NumPyFile.read(F.path("f8-rank3.npy"))
        #expect(f8.array == .float64(try Tensor(shape: [1, 2, 3, 4], scalars: (0..<24).map { Double($0) * 0.5 - 3 })))
        #expect(f8.storedShape == [2, 3, 4] && f8.storedDType == .float64)

        let u1 = try NumPyFile.read(F.path("u1-rank2.npy"))
        #expect(u1.array == .float32(try Tensor(shape: [1, 1, 2, 3], scalars: [0, 40, 80, 120, 160, 200])))
        #expect(u1.storedDType == .uint8)

        let v2 = try NumPyFile.read(F.path("f4-rank5-v2.npy"))
        #expect(v2.array == .float32(try Tensor(shape: [1, 1, 2, 2, 3], scalars: (0..<12).map(Float.init))))

        let v3 = try NumPyFile.read(F.path("f8-rank4-v3.npy"))
        #expect(v3.array == .float64(try Tensor(shape: [1, 2, 1, 3], scalars: (0..<6).map(Double.init))))
    }

    @Test func writesTheSameBytesAsNumPySave() throws {
        let tensor = try Tensor<Float>(shape: [3, 4], scalars: (0..<12).map { Float($0) / 8 })
        #expect(NumPyFile.encode(.float32(tensor)) == (try F.bytes("f4-rank2.npy")))
        let doubles = try Tensor<Double>(shape: [2, 3, 4], scalars: (0..<24).map { Double($0) * 0.5 - 3 })
        #expect(NumPyFile.encode(.float64(doubles)) == (try F.bytes("f8-rank3.npy")))
    }

    static let shapes: [[Int]] = [[2, 3], [3, 2, 5], [2, 1, 3, 4], [1, 2, 3, 2, 2], [1, 1, 0, 4]]

    @Test(arguments: shapes)
    func roundTripsFloatAndDouble(shape: [Int]) throws {
        let count = shape.reduce(1, *)
        let expectedShape = shape.count == 2 ? [1, 1] + shape : shape.count == 3 ? [1] + shape : shape
        let floats = try Tensor<Float>(shape: shape, scalars: (0..<count).map { Float($0) * 0.37 - 1 })
        let decodedFloats = try NumPyFile.decode(NumPyFile.encode(.float32(floats)))
        #expect(decodedFloats.array == .float32(try Tensor(shape: expectedShape, scalars: floats.scalars)))
        #expect(decodedFloats.storedShape == shape)

        let doubles = try Tensor<Double>(shape: shape, scalars: (0..<count).map { Double($0) / 3 })
        let decodedDoubles = try NumPyFile.decode(NumPyFile.encode(.float64(doubles)))
        #expect(decodedDoubles.array == .float64(try Tensor(shape: expectedShape, scalars: doubles.scalars)))
    }

    @Test func writesFilesAtomically() throws {
        let directory = try TemporaryDirectory()
        let array = NumPyArray.float64(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        try NumPyFile.write(array, to: directory.file("x.npy"))
        #expect(try NumPyFile.read(directory.file("x.npy")).storedShape == [2, 2])
        #expect(
            formatError { try NumPyFile.write(array, to: directory.file("x.npy"), inputs: [directory.file("x.npy")]) }
                == .outputIsInput(path: directory.file("x.npy")))
        #expect(directory.contents == ["x.npy"])
    }

    @Test func unsupportedContentThrowsItsOwnCase() {
        #expect(
            formatError { _ = try NumPyFile.read(F.path("i8.npy")) }
                == .unsupportedNumPyDType(path: F.path("i8.npy"), dtype: "<i8"))
        #expect(formatError { _ = try NumPyFile.read(F.path("fortran.npy")) } == .numPyFortranOrder(path: F.path("fortran.npy")))
        #expect(
            formatError { _ = try NumPyFile.read(F.path("big-endian.npy")) }
                == .numPyBigEndian(path: F.path("big-endian.npy"), dtype: ">f4"))
        #expect(
            formatError { _ = try NumPyFile.read(F.path("f4-rank1.npy")) }
                == .unsupportedNumPyRank(path: F.path("f4-rank1.npy"), shape: [3]))
    }

    @Test func fortranOrderIsAcceptedWhereTheLayoutIsTheSame() throws {
        let bytes = Self.file(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3), }", dataBytes: 12)
        #expect(try NumPyFile.decode(bytes).array.shape == [1, 1, 1, 3])
    }

    @Test func truncatedFilesThrowTruncated() throws {
        let bytes = try F.bytes("f4-rank2.npy")  // 128-byte preamble and header, 48 bytes of data
        #expect(
            formatError { _ = try NumPyFile.decode(Array(bytes.dropLast(4)), name: "t.npy") }
                == .truncatedNumPy(path: "t.npy", expectedBytes: 176, actualBytes: 172))
        #expect(
            formatError { _ = try NumPyFile.decode(Array(bytes.prefix(50)), name: "t.npy") }
                == .truncatedNumPy(path: "t.npy", expectedBytes: 128, actualBytes: 50))
        #expect(
            formatError { _ = try NumPyFile.decode(Array(bytes.prefix(9)), name: "t.npy") }
                == .truncatedNumPy(path: "t.npy", expectedBytes: 10, actualBytes: 9))
    }

    @Test func malformedFilesThrowCorrupt() throws {
        var badMagic = try F.bytes("f4-rank2.npy")
        badMagic[1] = UInt8(ascii: "X")
        let cases: [(String, [UInt8])] = [
            ("bad magic", badMagic),
            ("trailing bytes", try F.bytes("f4-rank2.npy") + [0]),
            ("version 4", NumPyHeader.magic + [4, 0, 0, 0]),
            ("not a dict", Self.file(header: "[1, 2]", dataBytes: 0)),
            ("no shape", Self.file(header: "{'descr': '<f4', 'fortran_order': False}", dataBytes: 0)),
            (
                "overflowing shape",
                Self.file(
                    header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", dataBytes: 0)
            ),
            (
                "axis beyond Int",
                Self.file(
                    header: "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 1), }", dataBytes: 0)
            ),
        ]
        for (label, bytes) in cases {
            guard case .corruptNumPy("c.npy", _)? = formatError({ _ = try NumPyFile.decode(bytes, name: "c.npy") }) else {
                Issue.record("\(label) was not reported as a corrupt .npy")
                continue
            }
        }
        #expect(formatError { _ = try NumPyFile.read(F.path("nothing.npy")) } == .fileNotFound(path: F.path("nothing.npy")))
    }

    @Test func mutatedBytesNeverTrap() throws {
        let original = try F.bytes("f8-rank3.npy")
        var generator = SplitMix64(seed: 5)
        for _ in 0..<500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                bytes[Int.random(in: 0..<128, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do { _ = try NumPyFile.decode(Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))) } catch { #expect(error is FormatError) }
        }
    }

    /// A version 1.0 file with the given header text and `dataBytes` zero bytes of data.
    static func file(header: String, dataBytes: Int) -> [UInt8] {
        let text = Array(header.utf8) + [0x0A]
        return NumPyHeader.magic + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text
            + [UInt8](repeating: 0, count: dataBytes)
    }
}
