/// Whether the images are shrunk before SSIM, as piq does.
///
/// ```
/// piqAutomatic:  f = max(1, round(min(H, W) / 256))  (round half to even, as Python's round)
///                if f > 1: each image is average-pooled by f x f blocks (avg_pool2d(x, f):
///                output floor(H / f) x floor(W / f), trailing rows and columns dropped)
/// ```
///
/// ```swift
/// var options = SSIMOptions.piq          // downsampling: .piqAutomatic
/// options.downsampling = .none           // piq's downsample=False
/// ```
public enum Downsampling: String, Sendable, Hashable, CaseIterable {
    /// The images as given.
    case none
    /// piq's automatic average pooling (`downsample=True`, its default).
    case piqAutomatic

    /// The pooling factor for images of `height` x `width` (1: no pooling).
    public func factor(height: Int, width: Int) -> Int {
        switch self {
        case .none: return 1
        case .piqAutomatic:
            let ratio = (Double(min(height, width)) / 256).rounded(.toNearestOrEven)
            return max(1, Int(ratio))
        }
    }
}
