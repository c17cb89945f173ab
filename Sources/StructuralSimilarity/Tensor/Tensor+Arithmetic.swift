/// Element-wise arithmetic on tensors, enough to build a training objective around the SSIM
/// loss (and differentiable where `_Differentiation` exists).
///
/// Shapes must be equal, or one side a tensor of one element (a rank-0 loss, or
/// ``Tensor/zero``), which is broadcast to the other's shape.
///
/// ```swift
/// let objective = ssimPart * 0.84 + abs(prediction - target).mean() * 0.16
/// ```
extension Tensor: AdditiveArithmetic where Scalar: SSIMScalar {
    /// A rank-0 zero: adding it to any tensor leaves that tensor unchanged.
    public static var zero: Tensor { Tensor(0) }

    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        // Adding the rank-0 zero (autodiff's starting adjoint) returns the other side unchanged.
        if rhs.shape.isEmpty && rhs.scalars[0] == 0 { return lhs }
        if lhs.shape.isEmpty && lhs.scalars[0] == 0 { return rhs }
        return combine(lhs, rhs, +)
    }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { combine(lhs, rhs, -) }

    /// Applies `operation` element by element, broadcasting a one-element side.
    ///
    /// - Precondition: equal shapes, or one side with a single element.
    static func combine(_ lhs: Tensor, _ rhs: Tensor, _ operation: (Scalar, Scalar) -> Scalar) -> Tensor {
        if lhs.shape == rhs.shape {
            return Tensor(uncheckedShape: lhs.shape, scalars: zip(lhs.scalars, rhs.scalars).map(operation))
        }
        if rhs.scalars.count == 1 {
            let r = rhs.scalars[0]
            return Tensor(uncheckedShape: lhs.shape, scalars: lhs.scalars.map { operation($0, r) })
        }
        precondition(lhs.scalars.count == 1, "tensor shapes \(lhs.shape) and \(rhs.shape) do not broadcast")
        let l = lhs.scalars[0]
        return Tensor(uncheckedShape: rhs.shape, scalars: rhs.scalars.map { operation(l, $0) })
    }
}

extension Tensor where Scalar: SSIMScalar {
    /// Element-wise product, broadcasting a one-element side.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { combine(lhs, rhs, *) }
    /// Every element times `rhs`.
    public static func * (lhs: Tensor, rhs: Scalar) -> Tensor { combine(lhs, Tensor(rhs), *) }
    /// Every element times `lhs`.
    public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { combine(Tensor(lhs), rhs, *) }

    /// The sum of the elements, accumulated in `Double`, as a rank-0 tensor.
    public func sum() -> Tensor { Tensor(Scalar(scalars.reduce(0.0) { $0 + Double($1) })) }
    /// The mean of the elements, accumulated in `Double`, as a rank-0 tensor.
    public func mean() -> Tensor { Tensor(Scalar(scalars.reduce(0.0) { $0 + Double($1) } / Double(scalars.count))) }
}

/// The element-wise absolute value of a tensor.
public func abs<Scalar: SSIMScalar>(_ tensor: Tensor<Scalar>) -> Tensor<Scalar> {
    Tensor(uncheckedShape: tensor.shape, scalars: tensor.scalars.map { Swift.abs($0) })
}
