import SSIMFormats
import StructuralSimilarity

/// When an image is similar enough to its reference: a mean SSIM and a local criterion, so that
/// a small broken region is not averaged away by a large unchanged background.
///
/// ```
/// passes  <=>  mean SSIM >= minimumSSIM
///              and  fraction of positions with local SSIM < localSSIM  <=  maximumDifferingFraction
///
/// mean SSIM:  the mean over every channel and position of the SSIM map (the number `ssim a b`
///             prints), computed with `options` (Kornia's convention by default)
/// local SSIM: the lowest SSIM over the channels at each position (LocalSSIMMap)
/// ```
///
/// The defaults, and why (a UI test: a chart, a page, a rendered view):
///
/// - **Colour, each channel on its own** (no grey conversion): a change of colour is a
///   regression in a UI, and a grey conversion can map two colours to one grey. The local map
///   takes the *lowest* channel, so a change in one channel counts fully.
/// - **Kornia's convention** (`SSIMOptions.kornia`: an 11-tap Gaussian
///   window of sigma 1.5, padding `same` with reflected borders, data range 1): a map of the
///   image's size, so that a change at an edge of the picture is seen and the regions are drawn
///   where they are; `valid` padding would drop a 5-pixel frame.
/// - **`minimumSSIM` 0.98**: softer anti-aliasing of a whole page stays above it (0.997 in the
///   article's demonstration); turning anti-aliasing off or shifting everything by one pixel
///   does not (0.946, 0.959).
/// - **`localSSIM` 0.7 and `maximumDifferingFraction` 0.001**: a deleted word or a recoloured
///   button (about 2 % and 3.4 % of a 640 x 400 page below 0.7, with a mean still above 0.98)
///   fails; anti-aliasing and edge blur lower many windows to 0.8 or 0.9 but almost none below
///   0.7 (0 % for a 0.6-pixel blur), so a UI rendered by another rasterizer passes.
///
/// ```swift
/// var criteria = SimilarityCriteria()
/// criteria.minimumSSIM = 0.995
/// criteria.maximumDifferingFraction = 0   // no window below localSSIM at all
/// ```
public struct SimilarityCriteria: Sendable, Hashable {
    /// The least mean SSIM.
    public var minimumSSIM: Double
    /// The local SSIM below which a position differs.
    public var localSSIM: Double
    /// The largest fraction of the map allowed below ``localSSIM`` (0 allows none).
    public var maximumDifferingFraction: Double
    /// The SSIM computation; Kornia's by default.
    public var options: SSIMOptions

    /// Creates criteria; the defaults are explained above.
    ///
    /// ```swift
    /// let strict = SimilarityCriteria(minimumSSIM: 0.999, maximumDifferingFraction: 0)
    /// ```
    public init(
        minimumSSIM: Double = 0.98, localSSIM: Double = DifferenceOverlay.defaultThreshold,
        maximumDifferingFraction: Double = 0.001, options: SSIMOptions = .kornia
    ) {
        self.minimumSSIM = minimumSSIM
        self.localSSIM = localSSIM
        self.maximumDifferingFraction = maximumDifferingFraction
        self.options = options
    }

    /// Throws when a criterion cannot be met or checked.
    func validate() throws(SSIMTestingError) {
        guard minimumSSIM.isFinite, minimumSSIM <= 1 else {
            throw .invalidCriteria("minimumSSIM \(minimumSSIM) can never be met: use a number up to 1, such as 0.98")
        }
        guard localSSIM.isFinite, localSSIM <= 1 else {
            throw .invalidCriteria("localSSIM \(localSSIM) must be a finite number up to 1, such as 0.7")
        }
        guard maximumDifferingFraction >= 0, maximumDifferingFraction <= 1 else {
            throw .invalidCriteria(
                "maximumDifferingFraction \(maximumDifferingFraction) is not a fraction: use 0 (no window below localSSIM) to 1")
        }
        do { try options.validate() } catch { throw .invalidCriteria("the SSIM options are invalid: \(error)") }
    }
}
