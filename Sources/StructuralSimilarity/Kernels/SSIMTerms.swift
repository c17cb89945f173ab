/// The terms of the SSIM formula for a vector of pixels, from their centred moments (see
/// ``MomentRows``):
///
/// ```
/// A = 2 mu1 mu2 + C1,   B = 2 sigma12 + C2,   C = mu1^2 + mu2^2 + C1,   D = sigma1 + sigma2 + C2
/// SSIM = A B / (C D + eps)
/// ```
struct SSIMTerms<Scalar: SSIMScalar> {
    typealias V = Scalar.Vector
    let mu1c: V, mu2c: V, mu1: V, mu2: V
    let sigma1: V, sigma2: V, sigma12: V
    let a: V, b: V, c: V, d: V
    /// `C D + eps`.
    let denominator: V

    @inline(__always)
    init(_ m: MomentRows<Scalar>, at i: Int, shift1: Scalar, shift2: Scalar, _ k: SSIMConstants<Scalar>) {
        mu1c = m.mu1.vector(at: i); mu2c = m.mu2.vector(at: i)
        mu1 = mu1c + shift1; mu2 = mu2c + shift2
        sigma1 = m.e11.vector(at: i) - mu1c * mu1c
        sigma2 = m.e22.vector(at: i) - mu2c * mu2c
        sigma12 = m.e12.vector(at: i) - mu1c * mu2c
        a = 2 * mu1 * mu2 + k.c1
        b = 2 * sigma12 + k.c2
        c = mu1 * mu1 + mu2 * mu2 + k.c1
        d = sigma1 + sigma2 + k.c2
        denominator = c * d + k.eps
    }

    @inline(__always) var ssim: V { a * b / denominator }

    /// `(1 - SSIM) / 2` before the clamp, computed without cancelling against 1:
    ///
    /// ```
    /// C D - A B = C dB + dA B,  dA = C - A = (mu1 - mu2)^2,  dB = D - B = sigma1 + sigma2 - 2 sigma12
    /// (1 - SSIM) / 2 = (C dB + dA B + eps) / (2 (C D + eps))
    /// ```
    ///
    /// so identical images give exactly `eps / (2 (C D + eps))` and near-identical ones keep their
    /// digits in Float.
    @inline(__always)
    func dissimilarity(_ k: SSIMConstants<Scalar>) -> V {
        let difference = mu1 - mu2
        let dA = difference * difference
        let dB = sigma1 + sigma2 - 2 * sigma12
        return (c * dB + dA * b + k.eps) / (2 * denominator)
    }

    /// Parts of the partials of the backward (see
    /// ``ssimBackward(_:_:geometry:constants:target:upstream:wantsY:)``), each times `den / 2`,
    /// in forms that do not cancel when the images are nearly identical:
    ///
    /// ```
    /// mean1 = mu2 B - mu1 S D = B (D (mu2 - mu1)(mu2 (mu1 + mu2) + C1) + mu2 eps) / den
    /// mean2 = mu1 B - mu2 S D   (the same with 1 and 2 swapped)
    /// excess = A - S C = A (C dB + eps) / den,      dB = sigma1 + sigma2 - 2 sigma12
    /// ```
    @inline(__always)
    func backwardParts(_ k: SSIMConstants<Scalar>) -> (mean1: V, mean2: V, excess: V) {
        let dB = sigma1 + sigma2 - 2 * sigma12
        let sum = mu1 + mu2
        let mean1 = b * (d * (mu2 - mu1) * (mu2 * sum + k.c1) + mu2 * k.eps) / denominator
        let mean2 = b * (d * (mu1 - mu2) * (mu1 * sum + k.c1) + mu1 * k.eps) / denominator
        let excess = a * (c * dB + k.eps) / denominator
        return (mean1, mean2, excess)
    }
}

/// `clamp(value, 0, 1)` lane by lane, NaN passing through as in torch.
@inline(__always)
func clampUnit<V: SIMD>(_ value: V) -> V where V.Scalar: FloatingPoint {
    value.replacing(with: 0, where: value .< 0).replacing(with: 1, where: value .> 1)
}
