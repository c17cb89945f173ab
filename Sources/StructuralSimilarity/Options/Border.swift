/// How the filters of SSIM read the pixels beyond an image's edge (for a `same` map; a
/// `valid` map never reads them).
///
/// For an axis of `n` pixels, position `-1` reads:
///
/// ```
/// reflect    pixel 1        (torch 'reflect', numpy 'reflect', OpenCV BORDER_REFLECT_101: Kornia, torchmetrics)
/// symmetric  pixel 0        (scipy.ndimage 'reflect', numpy 'symmetric': scikit-image before its crop)
/// replicate  pixel 0, and every position beyond the edge reads the edge (MATLAB 'replicate')
/// zero       the value 0    (zero padding)
/// ```
///
/// ```swift
/// var options = SSIMOptions.kornia
/// options.border = .replicate
/// ```
public enum Border: String, Sendable, Hashable, CaseIterable {
    /// Mirror about the edge pixel, which is not repeated: `-1` reads `1`, `n` reads `n - 2`.
    case reflect
    /// Mirror about the edge, which is repeated: `-1` reads `0`, `n` reads `n - 1`.
    case symmetric
    /// The edge pixel, repeated outward.
    case replicate
    /// Zeros: the image is padded with the value 0.
    case zero

    /// The pixel that position `i` of an axis of `n` pixels reads, or `nil` for a zero read.
    /// Inside the image, `i` itself. Valid for `-n <= i <= 2n - 1` (`reflect`: `-n < i < 2n - 1`),
    /// which the size checks guarantee (``smallestAxis(windowSize:)``).
    @inline(__always)
    func index(_ i: Int, _ n: Int) -> Int? {
        if i >= 0 && i < n { return i }
        switch self {
        case .reflect: return i < 0 ? -i : 2 * (n - 1) - i
        case .symmetric: return i < 0 ? -1 - i : 2 * n - 1 - i
        case .replicate: return i < 0 ? 0 : n - 1
        case .zero: return nil
        }
    }

    /// The shortest axis a `same` map of this border accepts with a window of `windowSize`
    /// taps: the border must not reach past the far edge.
    func smallestAxis(windowSize: Int) -> Int {
        switch self {
        case .reflect: return windowSize / 2 + 1
        case .symmetric: return max(1, windowSize / 2)
        case .replicate, .zero: return 1
        }
    }
}
