/// How the local variances and covariance of SSIM are normalised.
///
/// With window weights `w` (summing to 1) over `N` taps (`N = windowSize^2` in 2-D):
///
/// ```
/// population   sigma12 = sum w x y - mu1 mu2
/// sample       sigma12 = N / (N - 1) (sum w x y - mu1 mu2)     (scikit-image's use_sample_covariance=True)
/// ```
///
/// ```swift
/// var options = SSIMOptions.kornia
/// options.covariance = .sample
/// ```
public enum Covariance: String, Sendable, Hashable, CaseIterable {
    /// The weighted population moments (Kornia, torchmetrics, pytorch-msssim, piq, TensorFlow,
    /// MATLAB, scikit-image with `use_sample_covariance=False`).
    case population
    /// The population moments times `N / (N - 1)`, `N` the number of window taps, as
    /// scikit-image computes them by default (whatever the window's weights).
    case sample

    /// The factor applied to the variances and the covariance for a window of `taps` taps in
    /// all (1 for a 1-tap window, whose sample covariance is undefined: see
    /// ``SSIMOptions/validate()``).
    func scale(taps: Int) -> Double {
        switch self {
        case .population: return 1
        case .sample: return Double(taps) / Double(taps - 1)
        }
    }
}
