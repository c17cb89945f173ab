import StructuralSimilarity

/// What is compared when an image has transparency.
///
/// - ``composite(over:)``: the colour over a background, as a viewer shows it (a grey image over
///   a coloured background becomes RGB):
///   `out = alpha * colour + (1 - alpha) * background` per channel (straight alpha, in the
///   file's encoding, as browsers blend). Where alpha is 0 the stored colour does not count, so
///   two files that differ only under fully transparent pixels compare as identical.
/// - ``drop``: the colour as stored, alpha ignored (what `ssim` did before 0.3).
/// - ``channel``: alpha compared as one more channel (grey + alpha: 2 channels; RGB + alpha: 4);
///   an image without transparency gets an opaque alpha of 1, so that it compares with one that has.
///
/// An image without transparency is the same under ``composite(over:)`` and ``drop``.
///
/// ```swift
/// let image = try ImageFile.read("ui.png")
/// let seen = try AlphaHandling.composite(over: [1, 1, 1]).apply(to: image)   // over white
/// ```
public enum AlphaHandling: Equatable, Sendable {
    /// Over a background colour, 1 value (grey) or 3 (R, G, B) in [0, 1]; a single value is
    /// used for every channel.
    case composite(over: [Float])
    /// Alpha ignored.
    case drop
    /// Alpha as the last channel.
    case channel

    /// The default: composited over white, the page behind most viewers and browsers.
    ///
    /// ```swift
    /// AlphaHandling.default   // .composite(over: [1])
    /// ```
    public static let `default` = AlphaHandling.composite(over: [1])

    /// The image's tensor with its alpha handled this way, shape `(1, C, H, W)`.
    ///
    /// ```swift
    /// let t = try AlphaHandling.drop.apply(to: try ImageFile.read("a.png"))
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` when the background has neither
    ///   1 value nor as many as the image has channels.
    public func apply(to image: DecodedImage) throws -> Tensor<Float> {
        if self == .channel, image.alpha == nil {
            let plane = image.width * image.height
            return try Tensor(
                shape: [1, image.channels + 1, image.height, image.width],
                scalars: image.tensor.scalars + [Float](repeating: 1, count: plane))
        }
        guard let alpha = image.alpha else { return image.tensor }
        var colour = image.tensor
        var channels = image.channels
        let plane = image.width * image.height
        switch self {
        case .drop:
            return colour
        case .channel:
            return try Tensor(
                shape: [1, channels + 1, image.height, image.width], scalars: colour.scalars + alpha.scalars)
        case let .composite(background):
            if channels == 1, background.count == 3, Set(background).count > 1 {
                // A grey image over a coloured background becomes RGB.
                colour = try Tensor(shape: [1, 3, image.height, image.width], scalars: Array(repeating: colour.scalars, count: 3).flatMap { $0 })
                channels = 3
            }
            guard background.count == 1 || background.count == channels || (channels == 1 && background.count == 3) else {
                throw FormatError.invalidImageShape(
                    [background.count], expected: "a background of 1 value or \(channels) (one per channel)")
            }
            var scalars = colour.scalars
            let opacity = alpha.scalars
            for channel in 0..<channels {
                let behind = background.count == channels ? background[channel] : background[0]
                for pixel in 0..<plane {
                    let a = opacity[pixel]
                    let index = channel * plane + pixel
                    scalars[index] = a * scalars[index] + (1 - a) * behind
                }
            }
            return try Tensor(shape: colour.shape, scalars: scalars)
        }
    }
}
