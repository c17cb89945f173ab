import StructuralSimilarity

/// An image read into a `(1, C, H, W)` tensor, with its transparency and what was done on the way.
///
/// Integer samples are scaled to [0, 1]: 8-bit values divided by 255, 16-bit values by 65535
/// (10- and 12-bit AVIF, and PNM with a maximum above 255, are scaled to 16 bits by their
/// libraries first). 32-bit float TIFF samples are kept as stored, not clamped. Grey images have
/// C = 1, colour images C = 3 (palette images become RGB). Transparency (an alpha channel, PNG
/// `tRNS`, a GIF transparent colour) is kept apart in ``alpha``; ``AlphaHandling`` decides what
/// is compared.
///
/// ```swift
/// let image = try ImageFile.read("a.png")
/// print(image.tensor.shape, image.bitDepth, image.alpha != nil)   // [1, 3, 480, 640] 8 false
/// ```
public struct DecodedImage: Equatable, Sendable {
    /// The colour samples, shape `(1, C, H, W)`, C = 1 or 3, values in [0, 1].
    public var tensor: Tensor<Float>
    /// The format the bytes were in.
    public var format: FileFormat
    /// The depth of the decoded samples: 8, 16, or 32 (float TIFF). PNGs below 8 bits and
    /// palette images decode to 8.
    public var bitDepth: Int
    /// Whether the file had transparency, which ``tensor`` leaves out (see ``alpha``).
    public var droppedAlpha: Bool
    /// The opacity, shape `(1, 1, H, W)`, 0 transparent to 1 opaque (straight, not
    /// premultiplied); nil when the file has none.
    public var alpha: Tensor<Float>?
    /// The orientation tag the file carries (1 when none), whether or not it was applied.
    public var orientation: Int
    /// Whether an embedded colour profile was converted to sRGB.
    public var convertedColorProfile: Bool

    /// Creates a decoded image from its parts.
    ///
    /// ```swift
    /// let image = DecodedImage(tensor: t, format: .png, bitDepth: 8, droppedAlpha: false)
    /// ```
    public init(
        tensor: Tensor<Float>, format: FileFormat, bitDepth: Int, droppedAlpha: Bool, alpha: Tensor<Float>? = nil,
        orientation: Int = 1, convertedColorProfile: Bool = false
    ) {
        (self.tensor, self.format, self.bitDepth, self.droppedAlpha) = (tensor, format, bitDepth, droppedAlpha)
        (self.alpha, self.orientation, self.convertedColorProfile) = (alpha, orientation, convertedColorProfile)
    }

    /// The number of colour channels: 1 (grey) or 3 (RGB).
    ///
    /// ```swift
    /// let image = try ImageFile.read("photo.png")   // a 640 x 480 RGB picture
    /// image.channels   // 3
    /// ```
    public var channels: Int { tensor.shape[1] }
    /// The number of rows.
    ///
    /// ```swift
    /// let image = try ImageFile.read("photo.png")   // a 640 x 480 RGB picture
    /// image.height   // 480
    /// ```
    public var height: Int { tensor.shape[2] }
    /// The number of columns.
    ///
    /// ```swift
    /// let image = try ImageFile.read("photo.png")   // a 640 x 480 RGB picture
    /// image.width   // 640
    /// ```
    public var width: Int { tensor.shape[3] }
}
