#if canImport(_Differentiation)
import _Differentiation
#endif

/// A dense, row-major array of scalars with a shape: the images, maps and losses of this library.
///
/// Images are `(B, C, H, W)` (batch, channel, height, width), volumes `(B, C, D, H, W)`; a reduced
/// loss is a rank-0 tensor holding one scalar. The last axis varies fastest:
///
/// ```
/// index(b, c, h, w) = ((b * C + c) * H + h) * W + w
/// ```
///
/// ```swift
/// let x = try Tensor<Float>(shape: [1, 1, 2, 3], scalars: [0, 0.1, 0.2, 0.3, 0.4, 0.5])
/// let zeros = try Tensor<Double>(shape: [2, 3, 64, 64], repeating: 0)
/// print(x.shape, x.scalars.count)   // [1, 1, 2, 3] 6
/// ```
public struct Tensor<Scalar> {
    /// The length of every axis, outermost first. Empty for a rank-0 (scalar) tensor.
    #if canImport(_Differentiation)
    @noDerivative
    #endif
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count` is the product of `shape`.
    public private(set) var scalars: [Scalar]

    /// Creates a tensor from its shape and its elements in row-major order.
    ///
    /// - Throws: ``SSIMError/invalidShape(_:reason:)`` when an axis is negative or the element
    ///   count overflows `Int`; ``SSIMError/scalarCountMismatch(shape:expected:actual:)`` when
    ///   `scalars.count` is not the product of `shape`.
    public init(shape: [Int], scalars: [Scalar]) throws {
        let expected = try Tensor.elementCount(of: shape)
        guard scalars.count == expected else {
            throw SSIMError.scalarCountMismatch(shape: shape, expected: expected, actual: scalars.count)
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element equal to `value`.
    ///
    /// - Throws: ``SSIMError/invalidShape(_:reason:)`` when an axis is negative, the element
    ///   count overflows `Int`, or the system refuses that much memory (for example `2^40`
    ///   Floats, 4 TiB): the allocation is tried before the array is made, since a Swift array
    ///   whose allocation fails stops the process.
    public init(shape: [Int], repeating value: Scalar) throws {
        let count = try Tensor.elementCount(of: shape)
        guard canAllocate(bytes: count * MemoryLayout<Scalar>.stride) else {
            throw SSIMError.invalidShape(
                shape,
                reason: "its \(count) elements (\(count * MemoryLayout<Scalar>.stride) bytes) are more memory than the system grants; use a smaller shape")
        }
        self.shape = shape
        self.scalars = Array(repeating: value, count: count)
    }

    /// Creates a rank-0 tensor holding one scalar.
    public init(_ value: Scalar) {
        self.shape = []
        self.scalars = [value]
    }

    /// For the library's own results, whose shape and count are right by construction.
    init(uncheckedShape shape: [Int], scalars: [Scalar]) {
        assert(shape.reduce(1, *) == scalars.count)
        self.shape = shape
        self.scalars = scalars
    }

    /// The number of axes: 4 for images `(B, C, H, W)`, 0 for a reduced loss.
    public var rank: Int { shape.count }

    /// The only element of a tensor that holds exactly one (a reduced loss, or any shape with
    /// one element).
    ///
    /// - Precondition: `scalars.count == 1`. Reading it from a larger tensor is a programming
    ///   error, like an out-of-range array index.
    public var scalar: Scalar {
        precondition(scalars.count == 1, "Tensor.scalar needs exactly one element; this tensor has shape \(shape)")
        return scalars[0]
    }

    /// The product of the axes, or a thrown error when an axis is negative, the product
    /// overflows `Int`, or the elements would need more memory than any 64-bit address space
    /// gives a process (2^47 bytes): such an allocation cannot succeed, so it is not tried.
    static func elementCount(of shape: [Int]) throws -> Int {
        var count = 1
        for axis in shape {
            guard axis >= 0 else {
                throw SSIMError.invalidShape(shape, reason: "an axis length is negative")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: axis)
            guard !overflow else {
                throw SSIMError.invalidShape(shape, reason: "the element count overflows Int")
            }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Scalar>.stride)
        guard !overflow, bytes <= 1 << 47 else {
            throw SSIMError.invalidShape(shape, reason: "its \(count) elements need more memory than a process can address")
        }
        return count
    }
}

extension Tensor: Equatable where Scalar: Equatable {}
extension Tensor: Hashable where Scalar: Hashable {}
extension Tensor: Sendable where Scalar: Sendable {}

extension Tensor: CustomStringConvertible {
    public var description: String {
        if shape.isEmpty { return "Tensor(\(scalars[0]))" }
        let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), scalars: [\(preview)\(scalars.count > 8 ? ", ..." : "")])"
    }
}
