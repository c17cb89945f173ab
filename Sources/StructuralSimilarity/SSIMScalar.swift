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
public protocol SSIMScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable, SSIMDifferentiableScalar {
    /// The SIMD vector the kernels compute with: 32 bytes, two SSE registers on baseline
    /// x86-64, one AVX register where the compiler targets AVX.
    associatedtype Vector: SIMD where Vector.Scalar == Self
}

extension Float: SSIMScalar, SSIMDifferentiableScalar { public typealias Vector = SIMD8<Float> }
extension Double: SSIMScalar, SSIMDifferentiableScalar { public typealias Vector = SIMD4<Double> }
