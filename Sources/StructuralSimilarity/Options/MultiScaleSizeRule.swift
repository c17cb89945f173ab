/// The smallest images Wang's multi-scale SSIM takes with `M` scales and a window of `w` taps
/// (each scale halves the images, and each must fit the window).
///
/// ```
/// everyScaleFits     every scale's shortest axis fits the window under the halving rule
///                    (161 for five scales of 11 taps with a rounding-up halving, 176 with torchmetrics' floor)
/// windowTimesScale   min(H, W) >= w 2^(M - 1)    (Wang's msssim.m: 176 for five scales of 11 taps;
///                                                 torchmetrics' check agrees at five scales)
/// ```
///
/// ```swift
/// var options = MultiScaleSSIMOptions.wang
/// options.sizeRule = .everyScaleFits       // take 161 x 161 images, as the algorithm can
/// ```
public enum MultiScaleSizeRule: String, Sendable, Hashable, CaseIterable {
    /// The algorithm's own limit: every scale fits the window.
    case everyScaleFits
    /// Wang's `msssim.m`: the shortest axis at least the window times `2^(M - 1)` (it returns
    /// -Inf below), besides every scale fitting the window.
    case windowTimesScale
}
