// libFuzzer target: NumPyFile.decode on .npy bytes (the header parser and the data reader).
import SSIMFormats
import StructuralSimilarity

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let decoded: DecodedNumPyArray
    do {
        decoded = try NumPyFile.decode(bytes, name: "x.npy")
    } catch let error as FormatError {
        fuzzReport("FormatError: \(error)")
        return 0  // malformed input: the documented outcome
    } catch {
        fatalError("NumPyFile.decode threw \(type(of: error)), not a FormatError: \(error)")
    }
    // A decoded array: rank 2 to 5 as stored, padded to rank 4 below that, elements matching.
    let stored = decoded.storedShape, shape = decoded.array.shape
    fuzzReport("decoded \(decoded.storedDType) \(stored) as \(decoded.array.dtype) \(shape)")
    precondition((2...5).contains(stored.count), "stored shape \(stored) has an unsupported rank")
    precondition(
        shape.count == max(4, stored.count) && Array(shape.suffix(stored.count)) == stored
            && shape.dropLast(stored.count).allSatisfy { $0 == 1 }, "tensor shape \(shape) for stored \(stored)")
    let count: Int
    switch decoded.array {
    case let .float32(tensor): count = tensor.scalars.count
    case let .float64(tensor): count = tensor.scalars.count
    }
    precondition(count == stored.reduce(1, *), "\(count) elements for shape \(stored)")
    precondition(count * decoded.storedDType.byteCount <= bytes.count, "more elements than the data holds")
    return 0
}
