/// What Wang's multi-scale SSIM does with the per-scale terms before raising them to the weights:
/// a contrast-structure term (and, rarely, an SSIM) can be negative, and a negative number has
/// no real fractional power.
///
/// ```
/// none     t                 (Wang's msssim.m: a negative t gives NaN)
/// relu     max(t, 0)         (pytorch-msssim, TensorFlow, piq, torchmetrics' default "relu")
/// simple   (t + 1) / 2       (torchmetrics' normalize="simple")
/// ```
///
/// ```swift
/// var options = MultiScaleSSIMOptions.torchmetrics
/// options.clamping = .simple
/// ```
public enum MultiScaleClamping: String, Sendable, Hashable, CaseIterable {
    /// The terms as they are: NaN where a term is negative (its fractional power is not real).
    case none
    /// Negative terms become 0 (and so does the product).
    case relu
    /// Every term mapped from [-1, 1] to [0, 1] by `(t + 1) / 2`.
    case simple

    /// The term after clamping, and its derivative with respect to the term.
    func apply(_ t: Double) -> (value: Double, slope: Double) {
        switch self {
        case .none: return (t, 1)
        case .relu: return t > 0 ? (t, 1) : (0, 0)
        case .simple: return ((t + 1) / 2, 0.5)
        }
    }
}
