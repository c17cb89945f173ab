/// What ``ImageFile/read(_:maximumPixelCount:options:)`` does besides decoding: convert an
/// embedded ICC colour profile to sRGB, and turn the picture upright by its orientation tag.
///
/// Both are on by default, so that two files that look the same in a viewer read the same: a
/// Display P3 JPEG and its sRGB export, a phone photo tagged "rotate 90°" and its rotated copy.
///
/// ```swift
/// var options = ImageReadOptions()
/// options.convertsColorProfile = false   // the samples as stored
/// let image = try ImageFile.read("p3.jpg", options: options)
/// ```
public struct ImageReadOptions: Equatable, Sendable {
    /// Convert the colour samples from an embedded ICC profile (PNG `iCCP`, JPEG APP2, WebP
    /// `ICCP`, AVIF `colr`, TIFF tag 34675) to sRGB with LittleCMS, perceptual intent. Files
    /// without a profile are taken to be sRGB already.
    public var convertsColorProfile: Bool
    /// Apply the orientation (JPEG EXIF, TIFF tag 274, AVIF `irot`/`imir`) so that rows run top
    /// to bottom as a viewer shows them; see ``ImageOrientation``. (EXIF in PNG `eXIf` and WebP
    /// is not read.)
    public var appliesOrientation: Bool

    /// Options with both conversions on, or as given.
    ///
    /// ```swift
    /// let asStored = ImageReadOptions(convertsColorProfile: false, appliesOrientation: false)
    /// ```
    public init(convertsColorProfile: Bool = true, appliesOrientation: Bool = true) {
        (self.convertsColorProfile, self.appliesOrientation) = (convertsColorProfile, appliesOrientation)
    }
}
