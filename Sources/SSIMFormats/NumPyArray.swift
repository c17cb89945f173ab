import StructuralSimilarity

/// A tensor read from or written to a `.npy` file, in the precision the file stores.
///
/// ```swift
/// let array = NumPyArray.float32(try Tensor<Float>(shape: [1, 1, 2, 2], scalars: [0, 1, 2, 3]))
/// print(array.shape, array.dtype)   // [1, 1, 2, 2] float32
/// ```
public enum NumPyArray: Equatable, Sendable {
    /// A float32 array (`<f4`), or a uint8 array (`|u1`) converted to float without rescaling.
    case float32(Tensor<Float>)
    /// A float64 array (`<f8`).
    case float64(Tensor<Double>)

    /// The tensor's shape.
    ///
    /// ```swift
    /// NumPyArray.float64(try Tensor(shape: [2, 3], repeating: 0)).shape   // [2, 3]
    /// ```
    public var shape: [Int] {
        switch self {
        case let .float32(tensor): return tensor.shape
        case let .float64(tensor): return tensor.shape
        }
    }

    /// The dtype the array is written with: `.float32` or `.float64`.
    ///
    /// ```swift
    /// NumPyArray.float32(t).dtype   // .float32
    /// ```
    public var dtype: NumPyDType {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        }
    }

    /// The elements converted to `Scalar` (exact for float32 to Double; rounded for float64 to
    /// Float).
    ///
    /// ```swift
    /// let x: Tensor<Double> = try NumPyFile.read("x.npy").array.tensor()
    /// ```
    public func tensor<Scalar: BinaryFloatingPoint>(of _: Scalar.Type = Scalar.self) -> Tensor<Scalar> {
        // The shape is an existing tensor's, so the initialiser cannot throw.
        switch self {
        case let .float32(tensor):
            return (tensor as? Tensor<Scalar>) ?? (try! Tensor(shape: tensor.shape, scalars: tensor.scalars.map(Scalar.init)))
        case let .float64(tensor):
            return (tensor as? Tensor<Scalar>) ?? (try! Tensor(shape: tensor.shape, scalars: tensor.scalars.map(Scalar.init)))
        }
    }
}

/// The `.npy` element types this module reads.
///
/// ```swift
/// NumPyDType.float32.rawValue   // "<f4"
/// ```
public enum NumPyDType: String, CaseIterable, Sendable {
    /// Little-endian IEEE 754 single precision.
    case float32 = "<f4"
    /// Little-endian IEEE 754 double precision.
    case float64 = "<f8"
    /// Unsigned bytes; `<u1` and `>u1` are read as the same.
    case uint8 = "|u1"

    /// Bytes per element.
    ///
    /// ```swift
    /// NumPyDType.float64.byteCount   // 8
    /// ```
    public var byteCount: Int {
        switch self {
        case .float32: return 4
        case .float64: return 8
        case .uint8: return 1
        }
    }
}

/// A `.npy` file's array as a tensor, with how the file stored it.
///
/// ```swift
/// let map = try NumPyFile.read("map.npy")
/// print(map.storedShape, map.array.shape)   // [64, 64] [1, 1, 64, 64]
/// ```
public struct DecodedNumPyArray: Equatable, Sendable {
    /// The tensor: rank 2 `(H, W)` becomes `(1, 1, H, W)`, rank 3 `(C, H, W)` becomes
    /// `(1, C, H, W)`, ranks 4 and 5 are kept. uint8 becomes ``NumPyArray/float32(_:)``
    /// holding 0...255, not rescaled.
    public var array: NumPyArray
    /// The shape in the file.
    public var storedShape: [Int]
    /// The element type in the file.
    public var storedDType: NumPyDType

    /// Creates a decoded array from its parts.
    ///
    /// ```swift
    /// let decoded = DecodedNumPyArray(array: .float32(t), storedShape: [2, 2], storedDType: .uint8)
    /// ```
    public init(array: NumPyArray, storedShape: [Int], storedDType: NumPyDType) {
        (self.array, self.storedShape, self.storedDType) = (array, storedShape, storedDType)
    }
}
