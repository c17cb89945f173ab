#if canImport(_Differentiation)
import _Differentiation

/// What a scalar type needs for automatic differentiation: to be its own tangent.
public protocol SSIMDifferentiableScalar: Differentiable, AdditiveArithmetic, Codable where TangentVector == Self {}
#else
/// Empty where the toolchain has no `_Differentiation` (Xcode's toolchains).
public protocol SSIMDifferentiableScalar {}
#endif

/// The element types the SSIM functions compute in: `Float` and `Double`.
///
/// Each computes in its own precision (Kornia computes float32 images in float32 and float64
/// images in float64); sums over many elements are accumulated in `Double`.
public protocol SSIMScalar: BinaryFloatingPoint, Sendable, Codable, SSIMDifferentiableScalar {}

extension Float: SSIMScalar, SSIMDifferentiableScalar {}
extension Double: SSIMScalar, SSIMDifferentiableScalar {}
