/// The sampled 1-D Gaussian window of SSIM, normalised to sum 1 (Kornia's
/// `get_gaussian_kernel1d`).
///
/// ```
/// tap[i] = exp(-(i - size / 2)^2 / (2 sigma^2)) / sum_j exp(-(j - size / 2)^2 / (2 sigma^2))
/// ```
///
/// The taps are computed in `Double` and then rounded to `Scalar`.
///
/// ```swift
/// let taps: [Double] = gaussianWindow(size: 3)   // [0.307, 0.385, 0.307]
/// ```
///
/// - Parameters:
///   - size: the number of taps, odd and at least 1 (checked by the callers that throw).
///   - sigma: the standard deviation in pixels; SSIM uses 1.5 whatever the size.
/// - Returns: the `size` taps, computed in `Double` and rounded to `Scalar`.
public func gaussianWindow<Scalar: SSIMScalar>(size: Int, sigma: Double = 1.5) -> [Scalar] {
    let centre = Double(size / 2)
    let raw = (0..<size).map { i -> Double in
        let x = Double(i) - centre
        return exponential(-(x * x) / (2 * sigma * sigma))
    }
    let total = raw.reduce(0, +)
    return raw.map { Scalar($0 / total) }
}
