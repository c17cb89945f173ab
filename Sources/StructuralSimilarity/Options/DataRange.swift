/// The dynamic range `L` of the pixels, which sets `C1 = (K1 L)^2` and `C2 = (K2 L)^2`.
///
/// ```swift
/// var options = SSIMOptions.kornia
/// options.dataRange = .value(255)      // 8-bit pixel values
/// options.dataRange = .inputSpan       // torchmetrics' data_range=None
/// ```
public enum DataRange: Sendable, Hashable {
    /// A fixed range: 1 for [0, 1] data, 255 for 8-bit values.
    case value(Double)
    /// `max(max(x) - min(x), max(y) - min(y))` over the whole batch, as torchmetrics computes
    /// it when `data_range` is `None`. Gradients treat the range as a constant (torch's
    /// autograd would also differentiate through the maxima and minima).
    case inputSpan
}
