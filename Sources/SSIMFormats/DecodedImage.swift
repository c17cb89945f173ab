import StructuralSimilarity

/// A PNG or JPEG read into a `(1, C, H, W)` tensor, with what was lost on the way.
///
/// Samples are scaled to [0, 1]: 8-bit values divided by 255, 16-bit values by 65535. Grey
/// images have C = 1, colour images C = 3 (palette images become RGB). An alpha channel, or a
/// PNG `tRNS` transparency chunk, is *dropped*, not composited over a background: the colour
/// values are used as stored, and ``droppedAlpha`` says that transparency was ignored.
///
/// ```swift
/// let image = try ImageFile.read("a.png")
/// print(image.tensor.shape, image.bitDepth, image.droppedAlpha)   // [1, 3, 480, 640] 8 false
/// ```
public struct DecodedImage: Equatable, Sendable {
    /// The samples, shape `(1, C, H, W)`, values in [0, 1].
    public var tensor: Tensor<Float>
    /// The format the bytes were in.
    public var format: FileFormat
    /// The depth of the decoded samples, 8 or 16. PNGs below 8 bits and palette PNGs decode to 8.
    public var bitDepth: Int
    /// Whether the file had an alpha channel or transparency that was ignored.
    public var droppedAlpha: Bool

    /// Creates a decoded image from its parts.
    ///
    /// ```swift
    /// let image = DecodedImage(tensor: t, format: .png, bitDepth: 8, droppedAlpha: false)
    /// ```
    public init(tensor: Tensor<Float>, format: FileFormat, bitDepth: Int, droppedAlpha: Bool) {
        (self.tensor, self.format, self.bitDepth, self.droppedAlpha) = (tensor, format, bitDepth, droppedAlpha)
    }

    /// The number of channels: 1 (grey) or 3 (RGB).
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
