/// A conversion of RGB images to one channel before SSIM, as some peers do.
///
/// ```
/// matlabRGB2Gray:  0.298936021293775 R + 0.587043074451121 G + 0.114020904255103 B   (MATLAB rgb2gray)
/// bt601Luma:       (16 + 65.481 R + 128.553 G + 24.966 B) / 255   for [0, 1] data    (the Y of YCbCr, BT.601,
///                  MATLAB rgb2ycbcr, scikit-image rgb2ycbcr, BasicSR's to_y_channel with
///                  test_y_channel=True; values in [16/255, 235/255])
/// bt709Luma:       (16 + 46.5594 R + 156.6288 G + 15.8118 B) / 255   for [0, 1] data  (the Y of YCbCr, BT.709:
///                  219 (0.2126 R + 0.7152 G + 0.0722 B) + 16, HD video's limited-range luma)
/// ```
///
/// The images must have 3 channels (R, G, B); the result has 1. `bt601Luma` and `bt709Luma`
/// assume a data range of 1 ([0, 1] pixels).
///
/// ```swift
/// var options = SSIMOptions.matlab
/// options.grayscale = .matlabRGB2Gray
/// ```
public enum GrayscaleConversion: String, Sendable, Hashable, CaseIterable {
    /// The channels as given.
    case none
    /// MATLAB's `rgb2gray` weights (the first row of the inverse of the NTSC YIQ matrix).
    case matlabRGB2Gray
    /// The luma `Y` of BT.601 YCbCr for [0, 1] pixels, with its offset of 16/255.
    case bt601Luma
    /// The luma `Y` of BT.709 YCbCr (HD video) for [0, 1] pixels, with its offset of 16/255.
    case bt709Luma

    /// The weights of R, G and B and the constant added, or `nil` for `.none`.
    var coefficients: (r: Double, g: Double, b: Double, offset: Double)? {
        switch self {
        case .none: return nil
        case .matlabRGB2Gray: return (0.298936021293775, 0.587043074451121, 0.114020904255103, 0)
        case .bt601Luma: return (65.481 / 255, 128.553 / 255, 24.966 / 255, 16.0 / 255)
        case .bt709Luma: return (219 * 0.2126 / 255, 219 * 0.7152 / 255, 219 * 0.0722 / 255, 16.0 / 255)
        }
    }
}
