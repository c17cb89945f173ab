import CSSIMKernels

/// The two inner loops of the separable filter, run by the C target `CSSIMKernels`, which is
/// compiled for baseline x86-64 and for AVX2/AVX-512 with FMA and picks one at run time.
enum FilterPrimitives {
    /// `dst[c] = w[h] src[c + h] + sum_{k < h} w[k] (src[c + k] + src[c + 2h - k])` for
    /// `c` in `0..<count`: the symmetric correlation of a row with the window.
    @inline(__always)
    static func correlate<Scalar: SSIMScalar>(
        _ source: UnsafePointer<Scalar>, into destination: UnsafeMutablePointer<Scalar>, count: Int,
        window: UnsafePointer<Scalar>, half: Int
    ) {
        if Scalar.self == Float.self {
            ssim_correlate_f(cast(source), cast(destination), count, cast(window), half)
        } else {
            ssim_correlate_d(cast(source), cast(destination), count, cast(window), half)
        }
    }

    /// `dst[c] = sum_j weights[j] rows[j][c]` for `c` in `0..<count`.
    @inline(__always)
    static func weightedSum<Scalar: SSIMScalar>(
        rows: UnsafePointer<UnsafePointer<Scalar>>, weights: UnsafePointer<Scalar>, rowCount: Int,
        into destination: UnsafeMutablePointer<Scalar>, count: Int
    ) {
        if Scalar.self == Float.self {
            ssim_weighted_sum_f(castRows(rows), cast(weights), rowCount, cast(destination), count)
        } else {
            ssim_weighted_sum_d(castRows(rows), cast(weights), rowCount, cast(destination), count)
        }
    }

    @inline(__always)
    private static func cast<From, To>(_ p: UnsafePointer<From>) -> UnsafePointer<To> {
        UnsafeRawPointer(p).assumingMemoryBound(to: To.self)
    }

    @inline(__always)
    private static func cast<From, To>(_ p: UnsafeMutablePointer<From>) -> UnsafeMutablePointer<To> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: To.self)
    }

    @inline(__always)
    private static func castRows<From, To>(_ p: UnsafePointer<UnsafePointer<From>>) -> UnsafePointer<UnsafePointer<To>?> {
        UnsafeRawPointer(p).assumingMemoryBound(to: UnsafePointer<To>?.self)
    }
}
