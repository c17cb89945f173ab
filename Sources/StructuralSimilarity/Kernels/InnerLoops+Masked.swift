import CSSIMKernels

/// The inner loops of the masked (weighted) SSIM (`MaskedKernels.c` in CSSIMKernels): the part of
/// the Swift-to-C bridge the weighted kernels add (see <doc:MaskedSSIM>).
extension InnerLoops {
    /// The weighted products of a row segment: `w`, `w x~`, `w y~`, `w x~^2`, `w y~^2` and
    /// `w (x~ - y~)^2` with `x~ = (x - shift1) scale`, `y~ = (y - shift2) scale`, and zeros
    /// (not `0 * pixel`, which may be NaN) wherever `w` is 0.
    @inline(__always)
    static func weightedProducts<Scalar: SSIMScalar>(
        x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, w: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar, scale: Scalar,
        count: Int, into p: UnsafeMutablePointer<Scalar>, stride: Int
    ) {
        if Scalar.self == Float.self {
            ssim_weighted_products_f(
                cast(x), cast(y), cast(w), value(shift1), value(shift2), value(scale), count, cast(p), cast(p + stride), cast(p + 2 * stride),
                cast(p + 3 * stride), cast(p + 4 * stride), cast(p + 5 * stride))
        } else {
            ssim_weighted_products_d(
                cast(x), cast(y), cast(w), value(shift1), value(shift2), value(scale), count, cast(p), cast(p + stride), cast(p + 2 * stride),
                cast(p + 3 * stride), cast(p + 4 * stride), cast(p + 5 * stride))
        }
    }

    /// The five filtered weighted moments of a row divided by the filtered weight `weight`, in
    /// place (NaN where `weight` is not positive).
    @inline(__always)
    static func normaliseMoments<Scalar: SSIMScalar>(_ m: MomentRows<Scalar>, weight: UnsafePointer<Scalar>, count: Int) {
        if Scalar.self == Float.self {
            ssim_normalise_moments_f(cast(weight), count, cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd))
        } else {
            ssim_normalise_moments_d(cast(weight), count, cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd))
        }
    }

    /// `sum w[c] values[c]` over the columns where `weight[c] > 0`, in `Double`, in the order the
    /// formula sums a row.
    @inline(__always)
    static func weightedRowSum<Scalar: SSIMScalar>(
        _ values: UnsafePointer<Scalar>, w: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>, count: Int
    ) -> Double {
        if Scalar.self == Float.self {
            return ssim_weighted_row_sum_f(cast(values), cast(w), cast(weight), count)
        } else {
            return ssim_weighted_row_sum_d(cast(values), cast(w), cast(weight), count)
        }
    }

    /// The four partials of a row times `w / weight` (`1 / weight` for `w` nil), in place, and 0
    /// where `weight` is not positive.
    @inline(__always)
    static func normalisePartials<Scalar: SSIMScalar>(
        weight: UnsafePointer<Scalar>, w: UnsafePointer<Scalar>?, count: Int,
        _ p: (UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>)
    ) {
        if Scalar.self == Float.self {
            ssim_normalise_partials_f(cast(weight), w.map { cast($0) }, count, cast(p.0), cast(p.1), cast(p.2), cast(p.3))
        } else {
            ssim_normalise_partials_d(cast(weight), w.map { cast($0) }, count, cast(p.0), cast(p.1), cast(p.2), cast(p.3))
        }
    }

    /// `dx *= w` and `dy *= w` over a row, with 0 wherever `w` is 0.
    @inline(__always)
    static func applyWeights<Scalar: SSIMScalar>(
        _ w: UnsafePointer<Scalar>, count: Int, dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?
    ) {
        if Scalar.self == Float.self {
            ssim_apply_weights_f(cast(w), count, cast(dx), dy.map { cast($0) })
        } else {
            ssim_apply_weights_d(cast(w), count, cast(dx), dy.map { cast($0) })
        }
    }
}
