/// Where Wang's multi-scale SSIM averages the channels of an image: the product over scales is
/// not linear, so the two orders give different values on colour images.
///
/// ```
/// perChannel   MS-SSIM = mean_c prod_j t_j[c]^w_j                     (pytorch-msssim, TensorFlow, piq, Wang per channel)
/// pooled       MS-SSIM = prod_j (mean_c t_j[c])^w_j                   (torchmetrics: means over C, H and W at once)
/// ```
///
/// ```swift
/// var options = MultiScaleSSIMOptions.pytorchMSSSIM
/// options.channelPooling = .pooled
/// ```
public enum MultiScaleChannelPooling: String, Sendable, Hashable, CaseIterable {
    /// The product of every channel's terms, then the mean over channels.
    case perChannel
    /// The mean over channels of every term, then their product.
    case pooled
}
