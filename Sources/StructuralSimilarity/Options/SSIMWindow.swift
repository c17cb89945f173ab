/// The weights of the local statistics of SSIM: a separable window of `windowSize` taps per
/// axis (the 2-D window is the outer product of the 1-D one with itself).
///
/// ```
/// gaussian(sigma)          tap[i] = exp(-(i - size / 2)^2 / (2 sigma^2)) / sum_j exp(-(j - size / 2)^2 / (2 sigma^2))
/// gaussianFloat32(sigma)   the same computed in Float (as torch's default dtype builds it), then widened
/// uniform                  tap[i] = 1 / size
/// ```
///
/// ```swift
/// var options = SSIMOptions.kornia
/// options.window = .uniform
/// options.windowSize = 7          // scikit-image's default 7 x 7 box
/// ```
public enum SSIMWindow: Sendable, Hashable {
    /// The sampled Gaussian of standard deviation `sigma` pixels, computed in `Double`
    /// (Kornia, torchmetrics, piq, scikit-image, MATLAB, TensorFlow: each in its input's precision).
    case gaussian(sigma: Double)
    /// The sampled Gaussian computed in `Float` arithmetic and then used at the images'
    /// precision: pytorch-msssim's `_fspecial_gauss_1d`, which builds its window in torch's
    /// default float32 whatever the images' dtype.
    case gaussianFloat32(sigma: Double)
    /// The box window: every tap `1 / windowSize` (scikit-image's default, `uniform_filter`).
    case uniform

    /// The Gaussian's standard deviation, or `nil` for the uniform window.
    public var sigma: Double? {
        switch self {
        case let .gaussian(sigma), let .gaussianFloat32(sigma): return sigma
        case .uniform: return nil
        }
    }

    /// Whether the taps sum to 1 up to the rounding of `Scalar` (not the float32-built window
    /// used at Double precision: its sum is off by about 1e-7, which pytorch-msssim keeps).
    var sumsToOne: Bool {
        if case .gaussianFloat32 = self { return false }
        return true
    }

    /// The `size` taps of the 1-D window, rounded to `Scalar`.
    public func taps<Scalar: SSIMScalar>(size: Int) -> [Scalar] {
        switch self {
        case let .gaussian(sigma):
            return gaussianWindow(size: size, sigma: sigma)
        case let .gaussianFloat32(sigma):
            // pytorch-msssim: coords = arange(size, float32) - size // 2;
            // g = exp(-(coords^2) / (2 sigma^2)); g /= g.sum(), all in float32. torch's CPU sum
            // of a row shorter than its vectors (16 floats on an AVX-512 machine) keeps four
            // running sums (taps i = k mod 4), adds the leftover taps to the first, then the
            // four in order: so is this one (for 3 taps it is 1 ulp above the correctly rounded
            // sum). Longer rows take torch's vector path, whose order depends on the CPU's
            // vector width: their sum is the correctly rounded one.
            let denominator = Float(2 * sigma * sigma)
            let raw = (0..<size).map { i -> Float in
                let x = Float(i - size / 2)
                return exponential(-(x * x) / denominator)
            }
            var total: Float
            if size < 16 {
                var partial: [Float] = [0, 0, 0, 0]
                for i in 0..<(size / 4 * 4) { partial[i % 4] += raw[i] }
                for i in (size / 4 * 4)..<size { partial[0] += raw[i] }
                total = ((partial[0] + partial[1]) + partial[2]) + partial[3]
            } else {
                total = Float(raw.reduce(0.0) { $0 + Double($1) })
            }
            return raw.map { Scalar($0 / total) }
        case .uniform:
            return Array(repeating: Scalar(1) / Scalar(size), count: size)
        }
    }
}
