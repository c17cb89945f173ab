/// How Wang's multi-scale SSIM halves the images between scales: every rule averages 2 x 2
/// pixels (2 x 2 x 2 voxels for volumes); they differ on an axis of odd length `n`.
///
/// ```
/// rule            output length   output o averages input positions        (odd n)
/// padEndSymmetric ceil(n / 2)     2o, min(2o + 1, n - 1)                   Wang's msssim.m, TensorFlow
/// padStartZero    ceil(n / 2)     2o - 1 (a zero at -1), 2o                pytorch-msssim
/// padStartReplicate  ceil(n / 2)  max(2o - 1, 0), 2o                       piq (see below)
/// dropLast        floor(n / 2)    2o, 2o + 1                               torchmetrics
/// ```
///
/// On an even axis every rule averages `2o` and `2o + 1`, except piq's, which pads the top and
/// the left both by one replicated pixel when either spatial axis is odd (`F.pad(x, [p, 0, p, 0],
/// mode='replicate')` with `p = max(H % 2, W % 2)`, then a 2 x 2 average that drops what is
/// left): on an even axis of such an image, output `o` averages `max(2o - 1, 0)` and `2o` and the
/// last pixel is dropped.
///
/// ```swift
/// var options = MultiScaleSSIMOptions.wang
/// options.downsampling = .dropLast
/// ```
public enum MultiScaleDownsampling: String, Sendable, Hashable, CaseIterable {
    /// Wang's `imfilter(img, ones(2) / 4, 'symmetric')` then every other pixel, and
    /// TensorFlow's symmetric padding at the bottom and right: the last pixel of an odd axis
    /// is averaged with itself.
    case padEndSymmetric
    /// pytorch-msssim's `avg_pool2d(x, 2, padding=[s % 2 for s in x.shape[2:]])`: an odd axis
    /// gets a zero before its first pixel (counted in the average).
    case padStartZero
    /// piq's replicated first row and column when either axis is odd.
    case padStartReplicate
    /// torchmetrics' `avg_pool2d(x, (2, 2))`: the last pixel of an odd axis is dropped.
    case dropLast
}
