/// Which part of the SSIM map is returned (Kornia's `padding`).
///
/// Both compute the Gaussian statistics with a reflect border (`-1` reads index `1`; with
/// ``SSIMOptions``, through its ``SSIMOptions/border``); `valid` then crops `windowSize / 2`
/// pixels from every side, keeping only the positions whose window lies inside the image (the
/// Wang et al. convention, scikit-image's cropped mean).
public enum Padding: String, Sendable, CaseIterable {
    /// A map of the input's size.
    case same
    /// A map of size `(H - 2p, W - 2p)` with `p = windowSize / 2`.
    case valid
}
