import CSSIMKernels

/// The kernels' inner loops, run by the C target `CSSIMKernels`, which compiles them for
/// baseline x86-64 and for AVX2/AVX-512 with FMA and picks one at run time (a Swift package
/// cannot do that without a compiler flag). Rows are padded to a multiple of 16 elements.
enum InnerLoops {
    /// The raw pixels of both images at the positions of a row of the map, which the kernels of
    /// the photometric mix (``PhotometricMix``) take the L1 term from.
    typealias MixPixels<Scalar> = (x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>)

    /// A row length rounded up to a multiple of 16 elements, as the C loops need (they work on
    /// whole vectors of 8 floats or 4 doubles and more): the columns they compute.
    @inline(__always)
    static func vectorColumns(_ count: Int) -> Int { (count + 15) / 16 * 16 }

    /// A row stride: the length rounded up to an odd multiple of 16 elements, a multiple of 16
    /// as the C loops need (``vectorColumns(_:)``) and odd so that rows stacked at this stride
    /// fall into different sets of the cache. At an even one such as 1024 floats (4 KB), the
    /// rows of the vertical pass all share one set of the 8-way L1 cache and come from L2: the
    /// vertical pass ran twice as slowly. For example, `padded(1000)` is 1008 and
    /// `padded(1024)` is 1040.
    @inline(__always)
    static func padded(_ count: Int) -> Int {
        let sixteens = vectorColumns(count) / 16
        return (sixteens | 1) * 16
    }

    /// Uninitialized memory for `count` scalars that starts on a cache line (64 bytes): rows
    /// at ``padded(_:)`` strides then all start on one, and the C loops' aligned vector loads
    /// and stores never straddle two lines. Free it with `deallocate()`.
    static func allocateRows<Scalar>(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Scalar>.stride, alignment: 64)
            .bindMemory(to: Scalar.self, capacity: count)
    }

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

    /// `row[p] = (row[p] + src[2p]) + src[2p + 1]` for `p` in `0..<count`: one source row of the
    /// halving between two scales (see ``Halving``).
    @inline(__always)
    static func pairSumsAdd<Scalar: SSIMScalar>(_ src: UnsafePointer<Scalar>, count: Int, into row: UnsafeMutablePointer<Scalar>) {
        if Scalar.self == Float.self {
            ssim_pair_sums_add_f(cast(src), count, cast(row))
        } else {
            ssim_pair_sums_add_d(cast(src), count, cast(row))
        }
    }

    /// The adjoint of ``pairSumsAdd(_:count:into:)`` scaled by `factor`: `dst[2p] += row[p] factor`,
    /// then `dst[2p + 1]`, for `p` in `0..<count`.
    @inline(__always)
    static func pairSpreadAdd<Scalar: SSIMScalar>(
        _ row: UnsafePointer<Scalar>, count: Int, factor: Scalar, into dst: UnsafeMutablePointer<Scalar>
    ) {
        if Scalar.self == Float.self {
            ssim_pair_spread_add_f(cast(row), count, value(factor), cast(dst))
        } else {
            ssim_pair_spread_add_d(cast(row), count, value(factor), cast(dst))
        }
    }

    /// Brings `count` scalars from `p` into the cache ahead of their use (see `ssim_prefetch`).
    @inline(__always)
    static func prefetch<Scalar>(_ p: UnsafePointer<Scalar>, count: Int) {
        ssim_prefetch(UnsafeRawPointer(p), count * MemoryLayout<Scalar>.stride)
    }

    /// The centred pixels of a row segment, in units of `1 / scale`, and their products (see
    /// `ssim_products_f`).
    @inline(__always)
    static func products<Scalar: SSIMScalar>(
        x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar, scale: Scalar, count: Int,
        into p: (
            UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>
        )
    ) {
        if Scalar.self == Float.self {
            ssim_products_f(cast(x), cast(y), value(shift1), value(shift2), value(scale), count, cast(p.0), cast(p.1), cast(p.2), cast(p.3), cast(p.4))
        } else {
            ssim_products_d(cast(x), cast(y), value(shift1), value(shift2), value(scale), count, cast(p.0), cast(p.1), cast(p.2), cast(p.3), cast(p.4))
        }
    }

    /// Four consecutive outputs of the window at once, sharing their loads:
    /// `dst[o][c] = sum_k w[k] rows[o + k][c]` for `o` in `0..<4` (`rows`: `taps + 3` pointers).
    @inline(__always)
    static func filter4<Scalar: SSIMScalar>(
        rows: UnsafePointer<UnsafePointer<Scalar>>, window: UnsafePointer<Scalar>, taps: Int,
        into destinations: UnsafePointer<UnsafeMutablePointer<Scalar>>, count: Int
    ) {
        if Scalar.self == Float.self {
            ssim_filter4_f(castRows(rows), cast(window), taps, castOutputs(destinations), count)
        } else {
            ssim_filter4_d(castRows(rows), cast(window), taps, castOutputs(destinations), count)
        }
    }

    @inline(__always)
    private static func castOutputs<From, To>(_ p: UnsafePointer<UnsafeMutablePointer<From>>) -> UnsafePointer<UnsafeMutablePointer<To>?> {
        UnsafeRawPointer(p).assumingMemoryBound(to: UnsafeMutablePointer<To>?.self)
    }

    /// `dst[c] = w[h] rows[h][c] + sum_{k < h} w[k] (rows[k][c] + rows[2h - k][c])`: the
    /// symmetric window across `2 half + 1` rows (repeated where the border reflects).
    @inline(__always)
    static func symmetricSum<Scalar: SSIMScalar>(
        rows: UnsafePointer<UnsafePointer<Scalar>>, window: UnsafePointer<Scalar>, half: Int,
        into destination: UnsafeMutablePointer<Scalar>, count: Int
    ) {
        if Scalar.self == Float.self {
            ssim_symmetric_sum_f(castRows(rows), cast(window), half, cast(destination), count)
        } else {
            ssim_symmetric_sum_d(castRows(rows), cast(window), half, cast(destination), count)
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

    /// The SSIM map, the clamped loss map or the contrast-structure map (``KernelTarget/statistic``)
    /// of one row of moments into `destination`; returns the row's sum in `Double`. See
    /// `ssim_formula_f` in CSSIMKernels. With the constants' mix (``PhotometricMix``), the row
    /// mixed with the L1 of `pixels`, the raw pixels at the row's positions (`ssim_formula_mix_f`).
    @inline(__always)
    static func formula<Scalar: SSIMScalar>(
        _ m: MomentRows<Scalar>, count: Int, shift1: Scalar, shift2: Scalar, constants k: SSIMConstants<Scalar>,
        target: KernelTarget, pixels: MixPixels<Scalar>? = nil, into destination: UnsafeMutablePointer<Scalar>
    ) -> Double {
        if let general = k.general {
            return generalFormula(
                m, count: count, shift1: shift1, shift2: shift2, constants: k, general: general, target: target, pixels: pixels,
                into: destination)
        }
        if let mix = k.mix {
            let (x, y) = mixed(pixels)
            if Scalar.self == Float.self {
                return ssim_formula_mix_f(
                    cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, value(shift1), value(shift2), value(k.c1),
                    value(k.c2), value(k.covarianceScale), value(k.eps), target.statistic, cast(x), cast(y), value(mix.ssimWeight),
                    value(mix.l1Weight), cast(destination))
            } else {
                return ssim_formula_mix_d(
                    cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, value(shift1), value(shift2), value(k.c1),
                    value(k.c2), value(k.covarianceScale), value(k.eps), target.statistic, cast(x), cast(y), value(mix.ssimWeight),
                    value(mix.l1Weight), cast(destination))
            }
        }
        if Scalar.self == Float.self {
            return ssim_formula_f(
                cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count,
                value(shift1), value(shift2), value(k.c1), value(k.c2), value(k.covarianceScale), value(k.eps), target.statistic, cast(destination))
        } else {
            return ssim_formula_d(
                cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count,
                value(shift1), value(shift2), value(k.c1), value(k.c2), value(k.covarianceScale), value(k.eps), target.statistic, cast(destination))
        }
    }

    /// The partials of the backward for one row of moments (see `ssim_partials_f`), into `p`
    /// (mu1, mu2, b, r); writes the row's statistic into `values` and returns their sum over the
    /// `valid` columns, summed exactly as ``formula(_:count:shift1:shift2:constants:target:pixels:into:)``
    /// sums. With the constants' mix, the upstream is scaled by its SSIM weight and the values are
    /// the mixed loss (`ssim_partials_mix_f`), as in the forward pass.
    @inline(__always)
    static func partials<Scalar: SSIMScalar>(
        _ m: MomentRows<Scalar>, count: Int, valid: Int, shift1: Scalar, shift2: Scalar,
        constants k: SSIMConstants<Scalar>, target: KernelTarget, upstream: UnsafePointer<Scalar>?,
        uniformUpstream: Scalar, pixels: MixPixels<Scalar>? = nil,
        into p: (UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>),
        values: UnsafeMutablePointer<Scalar>
    ) -> Double {
        let loss = target.statistic
        if let general = k.general {
            return generalPartials(
                m, count: count, valid: valid, shift1: shift1, shift2: shift2, constants: k, general: general, target: target,
                upstream: upstream, uniformUpstream: uniformUpstream, pixels: pixels, into: p, values: values)
        }
        if let mix = k.mix {
            let (x, y) = mixed(pixels)
            if Scalar.self == Float.self {
                return ssim_partials_mix_f(
                    cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, valid,
                    value(shift1), value(shift2), value(k.c1), value(k.c2), value(k.covarianceScale), value(k.eps), loss,
                    upstream.map { cast($0) }, value(uniformUpstream), cast(x), cast(y), value(mix.ssimWeight), value(mix.l1Weight),
                    cast(p.0), cast(p.1), cast(p.2), cast(p.3), cast(values))
            } else {
                return ssim_partials_mix_d(
                    cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, valid,
                    value(shift1), value(shift2), value(k.c1), value(k.c2), value(k.covarianceScale), value(k.eps), loss,
                    upstream.map { cast($0) }, value(uniformUpstream), cast(x), cast(y), value(mix.ssimWeight), value(mix.l1Weight),
                    cast(p.0), cast(p.1), cast(p.2), cast(p.3), cast(values))
            }
        }
        if Scalar.self == Float.self {
            return ssim_partials_f(
                cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, valid,
                value(shift1), value(shift2), value(k.c1), value(k.c2), value(k.covarianceScale), value(k.eps), loss,
                upstream.map { cast($0) }, value(uniformUpstream), cast(p.0), cast(p.1), cast(p.2), cast(p.3), cast(values))
        } else {
            return ssim_partials_d(
                cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, valid,
                value(shift1), value(shift2), value(k.c1), value(k.c2), value(k.covarianceScale), value(k.eps), loss,
                upstream.map { cast($0) }, value(uniformUpstream), cast(p.0), cast(p.1), cast(p.2), cast(p.3), cast(values))
        }
    }

    /// One row of the image gradients from the filtered partials (see `ssim_combine_f`); with
    /// `l1`, plus the gradient of an L1 term of weight `l1.weight` and upstream `l1.upstream`
    /// (or `l1.uniform` for every element): `dx += w u sign(x - y)`, `dy -= w u sign(x - y)`
    /// (`ssim_combine_l1_f`).
    @inline(__always)
    static func combine<Scalar: SSIMScalar>(
        x: UnsafePointer<Scalar>, y: UnsafePointer<Scalar>, shift1: Scalar, shift2: Scalar, scale: Scalar,
        mu1: UnsafePointer<Scalar>, mu2: UnsafePointer<Scalar>, b: UnsafePointer<Scalar>, r: UnsafePointer<Scalar>,
        count: Int, l1: (upstream: UnsafePointer<Scalar>?, uniform: Scalar, weight: Scalar)? = nil,
        dx: UnsafeMutablePointer<Scalar>, dy: UnsafeMutablePointer<Scalar>?
    ) {
        if let l1 {
            if Scalar.self == Float.self {
                ssim_combine_l1_f(
                    cast(x), cast(y), value(shift1), value(shift2), value(scale), cast(mu1), cast(mu2), cast(b), cast(r), count,
                    l1.upstream.map { cast($0) }, value(l1.uniform), value(l1.weight), cast(dx), dy.map { cast($0) })
            } else {
                ssim_combine_l1_d(
                    cast(x), cast(y), value(shift1), value(shift2), value(scale), cast(mu1), cast(mu2), cast(b), cast(r), count,
                    l1.upstream.map { cast($0) }, value(l1.uniform), value(l1.weight), cast(dx), dy.map { cast($0) })
            }
            return
        }
        if Scalar.self == Float.self {
            ssim_combine_f(
                cast(x), cast(y), value(shift1), value(shift2), value(scale), cast(mu1), cast(mu2), cast(b), cast(r), count, cast(dx), dy.map { cast($0) })
        } else {
            ssim_combine_d(
                cast(x), cast(y), value(shift1), value(shift2), value(scale), cast(mu1), cast(mu2), cast(b), cast(r), count, cast(dx), dy.map { cast($0) })
        }
    }

    /// The general form's map or clamped loss map (``SSIMGeneralForm``; `ssim_general_formula_f`)
    /// of one row of moments into `destination`; returns the row's sum in `Double`.
    /// With the constants' mix, mixed as ``formula(_:count:shift1:shift2:constants:target:pixels:into:)``.
    @inline(__always)
    static func generalFormula<Scalar: SSIMScalar>(
        _ m: MomentRows<Scalar>, count: Int, shift1: Scalar, shift2: Scalar, constants k: SSIMConstants<Scalar>,
        general g: SSIMGeneralForm<Scalar>, target: KernelTarget, pixels: MixPixels<Scalar>?, into destination: UnsafeMutablePointer<Scalar>
    ) -> Double {
        precondition(target != .contrastStructure, "the general form has no contrast-structure statistic of its own")
        if let mix = k.mix {
            let (x, y) = mixed(pixels)
            if Scalar.self == Float.self {
                return ssim_general_formula_mix_f(
                    cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, value(shift1), value(shift2), value(k.c1),
                    value(k.c2), value(g.c3), value(k.covarianceScale), value(g.alpha), value(g.beta), value(g.gamma), target.statistic,
                    cast(x), cast(y), value(mix.ssimWeight), value(mix.l1Weight), cast(destination))
            } else {
                return ssim_general_formula_mix_d(
                    cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, value(shift1), value(shift2), value(k.c1),
                    value(k.c2), value(g.c3), value(k.covarianceScale), value(g.alpha), value(g.beta), value(g.gamma), target.statistic,
                    cast(x), cast(y), value(mix.ssimWeight), value(mix.l1Weight), cast(destination))
            }
        }
        if Scalar.self == Float.self {
            return ssim_general_formula_f(
                cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, value(shift1), value(shift2), value(k.c1),
                value(k.c2), value(g.c3), value(k.covarianceScale), value(g.alpha), value(g.beta), value(g.gamma), target.statistic,
                cast(destination))
        } else {
            return ssim_general_formula_d(
                cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, value(shift1), value(shift2), value(k.c1),
                value(k.c2), value(g.c3), value(k.covarianceScale), value(g.alpha), value(g.beta), value(g.gamma), target.statistic,
                cast(destination))
        }
    }

    /// The general form's partials for `dx` (see `ssim_general_partials_f`), as
    /// ``partials(_:count:valid:shift1:shift2:constants:target:upstream:uniformUpstream:pixels:into:values:)``
    /// (the mix included).
    @inline(__always)
    static func generalPartials<Scalar: SSIMScalar>(
        _ m: MomentRows<Scalar>, count: Int, valid: Int, shift1: Scalar, shift2: Scalar,
        constants k: SSIMConstants<Scalar>, general g: SSIMGeneralForm<Scalar>, target: KernelTarget,
        upstream: UnsafePointer<Scalar>?, uniformUpstream: Scalar, pixels: MixPixels<Scalar>?,
        into p: (UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>),
        values: UnsafeMutablePointer<Scalar>
    ) -> Double {
        precondition(target != .contrastStructure, "the general form has no contrast-structure statistic of its own")
        if let mix = k.mix {
            let (x, y) = mixed(pixels)
            if Scalar.self == Float.self {
                return ssim_general_partials_mix_f(
                    cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, valid, value(shift1), value(shift2),
                    value(k.c1), value(k.c2), value(g.c3), value(k.covarianceScale), value(g.alpha), value(g.beta), value(g.gamma),
                    target.statistic, upstream.map { cast($0) }, value(uniformUpstream), cast(x), cast(y), value(mix.ssimWeight),
                    value(mix.l1Weight), cast(p.0), cast(p.1), cast(p.2), cast(p.3), cast(values))
            } else {
                return ssim_general_partials_mix_d(
                    cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, valid, value(shift1), value(shift2),
                    value(k.c1), value(k.c2), value(g.c3), value(k.covarianceScale), value(g.alpha), value(g.beta), value(g.gamma),
                    target.statistic, upstream.map { cast($0) }, value(uniformUpstream), cast(x), cast(y), value(mix.ssimWeight),
                    value(mix.l1Weight), cast(p.0), cast(p.1), cast(p.2), cast(p.3), cast(values))
            }
        }
        if Scalar.self == Float.self {
            return ssim_general_partials_f(
                cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, valid, value(shift1), value(shift2),
                value(k.c1), value(k.c2), value(g.c3), value(k.covarianceScale), value(g.alpha), value(g.beta), value(g.gamma),
                target.statistic, upstream.map { cast($0) }, value(uniformUpstream), cast(p.0), cast(p.1), cast(p.2), cast(p.3),
                cast(values))
        } else {
            return ssim_general_partials_d(
                cast(m.mu1), cast(m.mu2), cast(m.e11), cast(m.e22), cast(m.edd), count, valid, value(shift1), value(shift2),
                value(k.c1), value(k.c2), value(g.c3), value(k.covarianceScale), value(g.alpha), value(g.beta), value(g.gamma),
                target.statistic, upstream.map { cast($0) }, value(uniformUpstream), cast(p.0), cast(p.1), cast(p.2), cast(p.3),
                cast(values))
        }
    }

    /// The pixels of a row mixed in (``PhotometricMix``): the kernels with the mix need them.
    @inline(__always)
    private static func mixed<Scalar>(_ pixels: MixPixels<Scalar>?) -> MixPixels<Scalar> {
        guard let pixels else { preconditionFailure("the photometric mix needs the pixels under the row") }
        return pixels
    }

    @inline(__always)
    static func value<From: BinaryFloatingPoint, To: BinaryFloatingPoint>(_ v: From) -> To { To(v) }

    @inline(__always)
    static func cast<From, To>(_ p: UnsafeMutablePointer<From>) -> UnsafePointer<To> {
        UnsafeRawPointer(p).assumingMemoryBound(to: To.self)
    }

    @inline(__always)
    static func cast<From, To>(_ p: UnsafePointer<From>) -> UnsafePointer<To> {
        UnsafeRawPointer(p).assumingMemoryBound(to: To.self)
    }

    @inline(__always)
    static func cast<From, To>(_ p: UnsafeMutablePointer<From>) -> UnsafeMutablePointer<To> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: To.self)
    }

    @inline(__always)
    static func castRows<From, To>(_ p: UnsafePointer<UnsafePointer<From>>) -> UnsafePointer<UnsafePointer<To>?> {
        UnsafeRawPointer(p).assumingMemoryBound(to: UnsafePointer<To>?.self)
    }
}
