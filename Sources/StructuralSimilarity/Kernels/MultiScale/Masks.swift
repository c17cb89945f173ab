/// How ``MSSSIMLoss`` builds its Gaussian masks.
///
/// Kornia builds each 2-D mask in float32 (torch's default dtype), as the float32 outer product
/// of a float32 1-D window, and only then promotes it to the images' dtype:
///
/// ```
/// g[i]    = fl32(e[i] / fl32(sum_j e[j])),  e[i] = fl32(exp(-(i - pad)^2 / fl32(2 sigma^2)))
/// mask[i][j] = fl32(g[i] g[j])
/// ```
///
/// `.kornia` reproduces those taps (for `Double` images the rounding of the outer product is
/// added back as a small dense correction, so the result matches Kornia's float64 to about
/// 1e-15; `Float` images, computed in Double, filter with the separable float32 taps and
/// correct the masks' sums, within about 1e-7 of Kornia's float64); `.exact` uses the float64
/// Gaussian, an exact outer product of float64 windows. The two differ by up to a few 1e-5
/// relative on single loss elements (measured figures in the README).
///
/// ```swift
/// let criterion = try MSSSIMLoss(masks: .exact)
/// ```
public enum MSSSIMMasks: String, Sendable, CaseIterable {
    /// Kornia 0.9.0's float32-rounded masks (the default).
    case kornia
    /// Exact float64 Gaussian masks.
    case exact
}

/// The masks of every scale of ``MSSSIMLoss``, as the separable kernels use them: one symmetric
/// 1-D window per scale (the 2-D mask is `window[i] * window[j]`), plus either
/// - `residuals` (`withResidual`, for `Double` images with `.kornia` masks): the dense residual
///   `fl32(g[i] g[j]) - g[i] g[j]` of each scale (exact in Double: a product of two floats fits
///   in a double), cropped to the centred square outside which its magnitudes sum to below
///   1e-18, so the filter is Kornia's exactly; or
/// - `reference`: the 2-D mask the separable one stands for (Kornia's float32 outer product, or
///   the exact one), whose sums over the part inside the image centring needs
///   (``BorderTable``). Without the residual the separable mask differs from Kornia's by its
///   float32 rounding (about 6e-8 of each tap, whose net effect on a sum is caught by the
///   table): about 1e-7 relative on a loss.
struct MultiScaleMasks<Scalar: SSIMScalar>: Sendable {
    /// `pad = int(2 * sigmas.last)`: the zero border and half the window.
    let half: Int
    /// The 1-D window of each scale, `2 half + 1` taps.
    let windows: [[Scalar]]
    /// Per scale: the residual's half-width `rho` and its `(2 rho + 1)^2` taps, row-major; nil
    /// where there is none.
    let residuals: [(half: Int, taps: [Scalar])?]
    /// Per scale: the 2-D mask, row-major, in Double (empty with the residual).
    let reference: [[Double]]

    var taps: Int { 2 * half + 1 }
    var scales: Int { windows.count }
    var hasResidual: Bool { residuals.contains { $0 != nil } }

    init(sigmas: [Double], masks: MSSSIMMasks, withResidual: Bool) {
        let half = Int(2 * sigmas[sigmas.count - 1])
        self.half = half
        let size = 2 * half + 1
        switch masks {
        case .exact:
            let exact: [[Double]] = sigmas.map { gaussianWindow(size: size, sigma: $0) }
            windows = exact.map { $0.map { Scalar($0) } }
            residuals = sigmas.map { _ in nil }
            reference = exact.map { g in g.flatMap { gi in g.map { gi * $0 } } }
        case .kornia:
            let float32 = sigmas.map { korniaWindow(size: size, sigma: $0) }
            windows = float32.map { $0.map { Scalar($0) } }
            residuals = withResidual ? float32.map { Self.residual($0) } : sigmas.map { _ in nil }
            reference = withResidual ? [] : float32.map { g in g.flatMap { gi in g.map { Double(gi * $0) } } }
        }
    }

    /// `fl32(g[i] g[j]) - g[i] g[j]`, cropped (see the type's summary).
    private static func residual(_ g: [Float]) -> (half: Int, taps: [Scalar])? {
        let n = g.count, half = n / 2
        var full = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { full[i * n + j] = Double(g[i] * g[j]) - Double(g[i]) * Double(g[j]) }
        }
        // The smallest centred square whose outside sums to below 1e-18 in magnitude.
        var rho = half
        while rho > 0 {
            var outside = 0.0
            for i in 0..<n {
                for j in 0..<n where abs(i - half) >= rho || abs(j - half) >= rho { outside += abs(full[i * n + j]) }
            }
            if outside >= 1e-18 { break }
            rho -= 1
        }
        let size = 2 * rho + 1, offset = half - rho
        var taps = [Scalar](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0..<size { taps[i * size + j] = Scalar(full[(i + offset) * n + j + offset]) }
        }
        return taps.allSatisfy({ $0 == 0 }) ? nil : (rho, taps)
    }
}

/// Kornia's float32 1-D window of `MS_SSIMLoss._fspecial_gauss_1d`: the exponentials rounded to
/// float32 (from a Double `exp`), summed in float32 in torch's order
/// (``torchFloat32Sum(_:)``), each divided by the sum in float32.
///
/// ```
/// e[i] = fl32(exp(fl32(-(i - size/2)^2 / fl32(2 sigma^2)))),  g[i] = fl32(e[i] / sum e)
/// ```
///
/// torch's float32 `exp` (vectorised, not always correctly rounded) differs from the correctly
/// rounded one in about 1 tap in 200, so for some sigmas a tap can differ from torch's by one
/// float32 ulp; at the default sigmas (0.5, 1, 2, 4, 8) and those of the golden tests every tap
/// is torch's, bit for bit (the tests check it).
func korniaWindow(size: Int, sigma: Double) -> [Float] {
    let centre = Float(size / 2)
    let denominator = Float(2 * sigma * sigma)
    let e = (0..<size).map { i -> Float in
        let c = Float(i) - centre
        return Float(exponential(Double(-(c * c) / denominator)))
    }
    let total = torchFloat32Sum(e)
    return e.map { $0 / total }
}

/// The float32 sum of a short contiguous row in the order of torch's CPU `sum`
/// (`cascade_sum` in `SumKernel.cpp`, vectors of 8 lanes, 4 accumulators): rows shorter than 8
/// summed by 4 scalar accumulators, longer ones as vectors of 8 by 4 vector accumulators, then
/// the scalar tail, then the 8 lanes in order. Checked against torch 2.15 on 1500 windows.
func torchFloat32Sum(_ values: [Float]) -> Float {
    /// torch's `row_sum`: 4 accumulators over groups of 4, the remainder into the first, then
    /// the others added to it in order.
    func rowSum<T>(_ items: [T], zero: T, _ add: (T, T) -> T) -> T {
        var acc = [T](repeating: zero, count: 4)
        let groups = items.count / 4
        for i in 0..<groups { for j in 0..<4 { acc[j] = add(acc[j], items[i * 4 + j]) } }
        for i in (groups * 4)..<items.count { acc[0] = add(acc[0], items[i]) }
        for j in 1..<4 { acc[0] = add(acc[0], acc[j]) }
        return acc[0]
    }
    let lanes = 8
    guard values.count >= lanes else { return rowSum(values, zero: Float(0)) { $0 + $1 } }
    let vectorCount = values.count / lanes
    let vectors = (0..<vectorCount).map { v in SIMD8<Float>((0..<lanes).map { values[v * lanes + $0] }) }
    let lanesSum = rowSum(vectors, zero: SIMD8<Float>()) { $0 + $1 }
    var total: Float = 0
    for i in (vectorCount * lanes)..<values.count { total += values[i] }
    for lane in 0..<lanes { total += lanesSum[lane] }
    return total
}
