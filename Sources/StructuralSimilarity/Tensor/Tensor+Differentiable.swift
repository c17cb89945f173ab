#if canImport(_Differentiation)
import _Differentiation

/// A tensor is its own tangent: gradients have the shape of what they differentiate
/// (or are ``Tensor/zero``, a rank-0 zero that adds to any shape).
extension Tensor: Differentiable where Scalar: SSIMScalar {
    public typealias TangentVector = Tensor
    public mutating func move(by offset: Tensor) { self = self + offset }
}

// MARK: Tensor arithmetic

extension Tensor where Scalar: SSIMScalar {
    /// The sum of the elements of `tangent` over the axes broadcast from a one-element side.
    fileprivate static func unbroadcast(_ tangent: Tensor, to original: Tensor) -> Tensor {
        original.scalars.count == 1 && original.shape != tangent.shape ? tangent.sum() : tangent
    }

    @derivative(of: +)
    @usableFromInline static func _vjpAdd(lhs: Tensor, rhs: Tensor) -> (value: Tensor, pullback: (Tensor) -> (Tensor, Tensor)) {
        (lhs + rhs, { v in (unbroadcast(v, to: lhs), unbroadcast(v, to: rhs)) })
    }

    @derivative(of: -)
    @usableFromInline static func _vjpSubtract(lhs: Tensor, rhs: Tensor) -> (value: Tensor, pullback: (Tensor) -> (Tensor, Tensor)) {
        (lhs - rhs, { v in (unbroadcast(v, to: lhs), unbroadcast(Tensor.zero - v, to: rhs)) })
    }

    @derivative(of: *)
    @usableFromInline static func _vjpMultiply(lhs: Tensor, rhs: Tensor) -> (value: Tensor, pullback: (Tensor) -> (Tensor, Tensor)) {
        (lhs * rhs, { v in (unbroadcast(v * rhs, to: lhs), unbroadcast(v * lhs, to: rhs)) })
    }

    @derivative(of: *, wrt: lhs)
    @usableFromInline static func _vjpScale(lhs: Tensor, rhs: Scalar) -> (value: Tensor, pullback: (Tensor) -> Tensor) {
        (lhs * rhs, { v in v * rhs })
    }

    @derivative(of: *, wrt: rhs)
    @usableFromInline static func _vjpScale(lhs: Scalar, rhs: Tensor) -> (value: Tensor, pullback: (Tensor) -> Tensor) {
        (lhs * rhs, { v in lhs * v })
    }

    @derivative(of: sum)
    @usableFromInline func _vjpSum() -> (value: Tensor, pullback: (Tensor) -> Tensor) {
        let shape = self.shape
        return (sum(), { v in Tensor(uncheckedShape: shape, scalars: Array(repeating: v.scalars[0], count: shape.reduce(1, *))) })
    }

    @derivative(of: mean)
    @usableFromInline func _vjpMean() -> (value: Tensor, pullback: (Tensor) -> Tensor) {
        let shape = self.shape, count = scalars.count
        return (
            mean(),
            { v in
                Tensor(uncheckedShape: shape, scalars: Array(repeating: v.scalars[0] / Scalar(count), count: count))
            }
        )
    }

    @derivative(of: scalar)
    @usableFromInline func _vjpScalar() -> (value: Scalar, pullback: (Scalar) -> Tensor) {
        let shape = self.shape
        return (scalar, { v in Tensor(uncheckedShape: shape, scalars: [v]) })
    }
}

@derivative(of: abs)
@usableFromInline func _vjpAbs<Scalar: SSIMScalar>(_ tensor: Tensor<Scalar>) -> (value: Tensor<Scalar>, pullback: (Tensor<Scalar>) -> Tensor<Scalar>) {
    (
        abs(tensor),
        { v in
            let signs = Tensor<Scalar>(uncheckedShape: tensor.shape, scalars: tensor.scalars.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
            return v * signs
        }
    )
}
#endif
