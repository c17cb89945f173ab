import StructuralSimilarity

/// Reads and writes NumPy `.npy` files: what `numpy.save` writes and `numpy.load` reads.
///
/// Reading takes format versions 1.0, 2.0 and 3.0, C order, little-endian float32 (`<f4`),
/// float64 (`<f8`) and uint8 (`|u1`), ranks 2 to 5 (see ``DecodedNumPyArray``). Writing uses
/// version 1.0, or 2.0 when the header is longer than 65535 bytes.
///
/// ```swift
/// let x = try NumPyFile.read("x.npy").array.tensor(of: Float.self)
/// try NumPyFile.write(.float32(x), to: "copy.npy", inputs: ["x.npy"])
/// ```
public enum NumPyFile {
    /// Reads a `.npy` file.
    ///
    /// ```swift
    /// let decoded = try NumPyFile.read("ssim_map.npy")
    /// ```
    ///
    /// - Throws: ``FormatError/fileNotFound(path:)``, ``FormatError/unreadableFile(path:reason:)``,
    ///   and the errors of ``decode(_:name:)``.
    public static func read(_ path: String) throws -> DecodedNumPyArray {
        try decode(readFile(path), name: path)
    }

    /// Decodes the bytes of a `.npy` file already in memory. Any bytes either decode or throw.
    ///
    /// ```swift
    /// let decoded = try NumPyFile.decode(bytes)
    /// ```
    ///
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - name: how error messages refer to the bytes.
    /// - Returns: the array, with the shape and element type stored in the file.
    /// - Throws: ``FormatError/corruptNumPy(path:reason:)``,
    ///   ``FormatError/truncatedNumPy(path:expectedBytes:actualBytes:)``,
    ///   ``FormatError/unsupportedNumPyDType(path:dtype:)``, ``FormatError/numPyBigEndian(path:dtype:)``,
    ///   ``FormatError/numPyFortranOrder(path:)`` or ``FormatError/unsupportedNumPyRank(path:shape:)``.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>") throws -> DecodedNumPyArray {
        guard bytes.starts(with: NumPyHeader.magic) else {
            throw FormatError.corruptNumPy(path: name, reason: "it does not start with the magic string \\x93NUMPY")
        }
        guard bytes.count >= 10 else { throw FormatError.truncatedNumPy(path: name, expectedBytes: 10, actualBytes: bytes.count) }
        let major = bytes[6]
        guard (1...3).contains(major) else {
            throw FormatError.corruptNumPy(
                path: name, reason: "format version \(major).\(bytes[7]) is not one of 1.0, 2.0 and 3.0")
        }
        let lengthBytes = major == 1 ? 2 : 4
        let headerStart = 8 + lengthBytes
        guard bytes.count >= headerStart else {
            throw FormatError.truncatedNumPy(path: name, expectedBytes: headerStart, actualBytes: bytes.count)
        }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let dataStart = headerStart + headerLength
        guard bytes.count >= dataStart else {
            throw FormatError.truncatedNumPy(path: name, expectedBytes: dataStart, actualBytes: bytes.count)
        }
        let header: NumPyHeader
        do {
            header = try NumPyHeader(parsing: Array(bytes[headerStart..<dataStart]))
        } catch {
            throw FormatError.corruptNumPy(path: name, reason: "its header is malformed: \(error.reason)")
        }

        let dtype = try supportedDType(header.descr, name: name)
        let shape = header.shape
        // Fortran and C order lay out the same bytes when at most one axis is longer than 1.
        guard !header.fortranOrder || shape.filter({ $0 > 1 }).count <= 1 else {
            throw FormatError.numPyFortranOrder(path: name)
        }
        guard (2...5).contains(shape.count) else { throw FormatError.unsupportedNumPyRank(path: name, shape: shape) }
        var count = 1
        for axis in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: axis)
            guard !overflow, product <= (Int.max - dataStart) / dtype.byteCount else {
                throw FormatError.corruptNumPy(path: name, reason: "shape \(shape) holds more elements than memory can")
            }
            count = product
        }
        let end = dataStart + count * dtype.byteCount
        guard bytes.count >= end else {
            throw FormatError.truncatedNumPy(path: name, expectedBytes: end, actualBytes: bytes.count)
        }
        guard bytes.count == end else {
            throw FormatError.corruptNumPy(
                path: name, reason: "\(bytes.count - end) bytes follow the \(count) elements of shape \(shape)")
        }

        let tensorShape = shape.count == 2 ? [1, 1] + shape : shape.count == 3 ? [1] + shape : shape
        let array: NumPyArray = try bytes.withUnsafeBytes { raw in
            let data = UnsafeRawBufferPointer(rebasing: raw[dataStart..<end])
            switch dtype {
            case .float32:
                let values = (0..<count).map {
                    Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
                }
                return .float32(try Tensor(shape: tensorShape, scalars: values))
            case .float64:
                let values = (0..<count).map {
                    Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))
                }
                return .float64(try Tensor(shape: tensorShape, scalars: values))
            case .uint8:
                return .float32(try Tensor(shape: tensorShape, scalars: data.map(Float.init)))
            }
        }
        return DecodedNumPyArray(array: array, storedShape: shape, storedDType: dtype)
    }

    /// The bytes of a `.npy` file holding the array: `<f4` for float32, `<f8` for float64, C
    /// order, the tensor's shape as is (any rank, including 0).
    ///
    /// ```swift
    /// let bytes = NumPyFile.encode(.float64(try Tensor(shape: [2, 2], repeating: 0.5)))
    /// ```
    public static func encode(_ array: NumPyArray) -> [UInt8] {
        var bytes = NumPyHeader(descr: array.dtype.rawValue, shape: array.shape).encoded()
        switch array {
        case let .float32(tensor): appendLittleEndian(tensor.scalars, to: &bytes) { $0.bitPattern.littleEndian }
        case let .float64(tensor): appendLittleEndian(tensor.scalars, to: &bytes) { $0.bitPattern.littleEndian }
        }
        return bytes
    }

    /// Appends the scalars' bytes in little-endian order: their memory as it is on a little-endian
    /// machine (one copy, no per-element work: a key path per element cost 125 ms for 786k
    /// floats), each one's `littleEndian` bit pattern on a big-endian one.
    private static func appendLittleEndian<Scalar, Bits: FixedWidthInteger>(
        _ scalars: [Scalar], to bytes: inout [UInt8], _ littleEndianBits: (Scalar) -> Bits
    ) {
        bytes.reserveCapacity(bytes.count + scalars.count * MemoryLayout<Bits>.size)
        #if _endian(little)
        scalars.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        scalars.map(littleEndianBits).withUnsafeBytes { bytes.append(contentsOf: $0) }
        #endif
    }

    /// Writes a `.npy` file atomically, never over one of `inputs`.
    ///
    /// ```swift
    /// try NumPyFile.write(.float32(ssimMap), to: "map.npy", inputs: ["a.png", "b.png"])
    /// ```
    ///
    /// - Throws: the errors of ``OutputFile/write(_:to:inputs:)``.
    public static func write(_ array: NumPyArray, to path: String, inputs: [String] = []) throws {
        #if _endian(little)
        // The header, then the scalars' own memory: no copy of a map into one buffer (201 MB and
        // its page faults for a 4096 x 4096 RGB map).
        let header = NumPyHeader(descr: array.dtype.rawValue, shape: array.shape).encoded()
        func write<Scalar>(_ scalars: [Scalar]) throws {
            try header.withUnsafeBytes { head in
                try scalars.withUnsafeBytes { try OutputFile.write(parts: [head, $0], to: path, inputs: inputs) }
            }
        }
        switch array {
        case let .float32(tensor): try write(tensor.scalars)
        case let .float64(tensor): try write(tensor.scalars)
        }
        #else
        try OutputFile.write(encode(array), to: path, inputs: inputs)
        #endif
    }

    /// The dtype for a header's `descr`, or the error saying why it cannot be read.
    private static func supportedDType(_ descr: String, name: String) throws -> NumPyDType {
        switch descr {
        case "<f4": return .float32
        case "<f8": return .float64
        case "|u1", "<u1", ">u1", "=u1", "u1": return .uint8
        case ">f4", ">f8": throw FormatError.numPyBigEndian(path: name, dtype: descr)
        default: throw FormatError.unsupportedNumPyDType(path: name, dtype: descr)
        }
    }
}
