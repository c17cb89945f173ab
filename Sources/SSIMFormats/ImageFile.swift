import StructuralSimilarity

/// Reads images as tensors (PNG, JPEG, WebP, AVIF, TIFF, GIF, BMP, PNM, each through its system
/// library) and writes PNG and JPEG.
///
/// Reading recognises the format by content, so a PNG named `.jpg` still reads. Writing picks
/// the format from the extension and goes through ``OutputFile`` (atomic, never over an input).
///
/// ```swift
/// let a = try ImageFile.read("a.png")                    // DecodedImage, tensor (1, C, H, W)
/// try ImageFile.write(a.tensor, to: "copy.jpg", jpegQuality: 90, inputs: ["a.png"])
/// ```
public enum ImageFile {
    /// The largest image read unless the caller passes another limit: 100 megapixels.
    ///
    /// ```swift
    /// _ = try ImageFile.read("huge.png", maximumPixelCount: 4 * ImageFile.defaultMaximumPixelCount)
    /// ```
    public static let defaultMaximumPixelCount = 100_000_000

    /// Reads an image into a `(1, C, H, W)` tensor with values in [0, 1], its transparency
    /// apart (see ``DecodedImage``): PNG (1 to 16 bits; grey, grey+alpha, RGB, RGBA or palette),
    /// JPEG, WebP, AVIF (8 to 12 bits), TIFF (8 or 16-bit, 32-bit float; palette and the other
    /// kinds at 8 bits), GIF (the first frame), BMP and PNM. The format is found from the content,
    /// never the name. By default an embedded colour profile is converted to sRGB and the
    /// orientation tag applied (``ImageReadOptions``).
    ///
    /// ```swift
    /// let image = try ImageFile.read("photo.jpg")
    /// ```
    ///
    /// - Throws: ``FormatError/fileNotFound(path:)``, ``FormatError/unreadableFile(path:reason:)``,
    ///   ``FormatError/unrecognizedFormat(path:)``, ``FormatError/corruptImage(path:format:message:)``,
    ///   ``FormatError/unsupportedImage(path:format:message:)``,
    ///   ``FormatError/colorProfileFailed(path:format:message:)`` or
    ///   ``FormatError/imageTooLarge(path:width:height:limit:)``.
    public static func read(
        _ path: String, maximumPixelCount: Int = defaultMaximumPixelCount, options: ImageReadOptions = ImageReadOptions()
    ) throws -> DecodedImage {
        try decode(readFile(path), name: path, maximumPixelCount: maximumPixelCount, options: options)
    }

    /// Decodes image bytes already in memory, as ``read(_:maximumPixelCount:options:)`` does a
    /// file. Any bytes either decode or throw.
    ///
    /// ```swift
    /// let image = try ImageFile.decode(pngBytes)
    /// ```
    ///
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - name: how error messages refer to the bytes; its extension picks the decoder only
    ///     when the content is of no known format (so that the error is that library's).
    ///   - maximumPixelCount: the largest image decoded; larger ones throw before allocating.
    ///   - options: the colour-profile conversion and the orientation.
    /// - Returns: the image as a tensor, with its format, bit depth and transparency.
    /// - Throws: as ``read(_:maximumPixelCount:options:)`` does, except the file errors.
    public static func decode(
        _ bytes: [UInt8], name: String = "<memory>", maximumPixelCount: Int = defaultMaximumPixelCount,
        options: ImageReadOptions = ImageReadOptions()
    ) throws -> DecodedImage {
        let format: FileFormat
        switch (FileFormat(detectingContentOf: bytes), FileFormat(pathExtensionOf: name)) {
        case (.npy?, _): throw FormatError.contentMismatch(path: name, content: .npy)
        case let (content?, _): format = content
        case let (nil, named?) where named.isImage: format = named
        default: throw FormatError.unrecognizedFormat(path: name)
        }
        let decoded: DecodedPlanes<Float> = try Codec.decode(
            bytes, format: format, name: name, maximumPixelCount: maximumPixelCount,
            convertProfile: options.convertsColorProfile)
        var (color, alpha) = (decoded.color, decoded.alpha)
        if options.appliesOrientation, let orientation = ImageOrientation(tag: decoded.orientation) {
            color = try orientation.apply(to: color)
            alpha = try alpha.map(orientation.apply)
        }
        return DecodedImage(
            tensor: color, format: format, bitDepth: decoded.bitDepth, droppedAlpha: alpha != nil, alpha: alpha,
            orientation: decoded.orientation, convertedColorProfile: decoded.convertedProfile)
    }

    /// Encodes a `(1, C, H, W)` tensor (C = 1 grey or 3 RGB) as an 8-bit PNG. Values are clamped
    /// to [0, 1], NaN becomes 0, then scaled by 255 and rounded.
    ///
    /// ```swift
    /// let bytes = try ImageFile.encodePNG(try Tensor<Float>(shape: [1, 1, 1, 2], scalars: [0, 1]))
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for any other shape.
    public static func encodePNG<Scalar: BinaryFloatingPoint>(_ image: Tensor<Scalar>) throws -> [UInt8] {
        try Codec.encode(Raster8(singleImage(image)), as: .png)
    }

    /// Encodes a `(1, C, H, W)` tensor as a JPEG of the given quality (1...100), quantised as
    /// ``encodePNG(_:)-(Tensor<Scalar>)`` does.
    ///
    /// ```swift
    /// let image = try ImageFile.read("photo.png").tensor   // (1, C, H, W)
    /// let bytes = try ImageFile.encodeJPEG(image, quality: 75)
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` or ``FormatError/invalidJPEGQuality(_:)``.
    public static func encodeJPEG<Scalar: BinaryFloatingPoint>(_ image: Tensor<Scalar>, quality: Int) throws -> [UInt8] {
        try Codec.encode(Raster8(singleImage(image)), as: .jpeg, quality: quality)
    }

    /// Encodes RGB pixels (a heat-map) as an 8-bit RGB PNG, deflated for speed (no row filter,
    /// zlib level 1: a heat-map 12 times faster, 18 % larger).
    ///
    /// ```swift
    /// let bytes = try ImageFile.encodePNG(try HeatMap().render(ssimMap))
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for an empty image.
    public static func encodePNG(_ image: RGB8Image) throws -> [UInt8] {
        try Codec.encode(nonEmpty(Raster8(image)), as: .png, fastPNG: true)
    }

    /// Writes a `(1, C, H, W)` tensor as an 8-bit PNG or JPEG, chosen by the extension of `path`,
    /// atomically and never over one of `inputs`.
    ///
    /// ```swift
    /// try ImageFile.write(restored, to: "restored.png", inputs: ["noisy.png"])
    /// ```
    ///
    /// - Throws: ``FormatError/unknownExtension(path:)``, the errors of ``encodePNG(_:)-(Tensor<Scalar>)``
    ///   and ``encodeJPEG(_:quality:)``, and those of ``OutputFile/write(_:to:inputs:)``.
    public static func write<Scalar: BinaryFloatingPoint>(
        _ image: Tensor<Scalar>, to path: String, jpegQuality: Int = 95, inputs: [String] = []
    ) throws {
        try write(Raster8(singleImage(image)), to: path, jpegQuality: jpegQuality, inputs: inputs)
    }

    /// Writes RGB pixels as an 8-bit PNG (deflated for speed, as ``encodePNG(_:)-(RGB8Image)``)
    /// or JPEG, chosen by the extension of `path`, atomically and never over one of `inputs`.
    ///
    /// ```swift
    /// try ImageFile.write(try HeatMap().render(map), to: "heat.png", inputs: ["a.png", "b.png"])
    /// ```
    ///
    /// - Throws: as ``write(_:to:jpegQuality:inputs:)-(Tensor<Scalar>,_,_,_)`` does.
    public static func write(_ image: RGB8Image, to path: String, jpegQuality: Int = 95, inputs: [String] = []) throws {
        try write(nonEmpty(Raster8(image)), to: path, jpegQuality: jpegQuality, inputs: inputs, fastPNG: true)
    }

    private static func write(_ raster: Raster8, to path: String, jpegQuality: Int, inputs: [String], fastPNG: Bool = false) throws {
        guard let format = FileFormat(pathExtensionOf: path), format == .png || format == .jpeg else {
            throw FormatError.unknownExtension(path: path)
        }
        try OutputFile.write(Codec.encode(raster, as: format, quality: jpegQuality, fastPNG: fastPNG), to: path, inputs: inputs)
    }

    private static func singleImage<Scalar>(_ image: Tensor<Scalar>) throws -> Tensor<Scalar> {
        guard image.shape.first == 1 else {
            throw FormatError.invalidImageShape(image.shape, expected: "(1, C, H, W): one image, C = 1 or 3")
        }
        return image
    }

    private static func nonEmpty(_ raster: Raster8) throws -> Raster8 {
        guard raster.width > 0, raster.height > 0 else {
            throw FormatError.invalidImageShape([raster.height, raster.width, 3], expected: "at least 1 x 1 pixels")
        }
        return raster
    }
}
