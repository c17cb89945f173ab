import CImageCodecs
import StructuralSimilarity

/// Interleaved 8-bit grey or RGB samples: what the PNG and JPEG encoders take.
struct Raster8 {
    var width: Int
    var height: Int
    var channels: Int
    var samples: [UInt8]

    /// The image `batch` of a `(B, C, H, W)` tensor, clamped to [0, 1] (NaN becomes 0), scaled
    /// by 255 and rounded.
    init<Scalar: BinaryFloatingPoint>(_ tensor: Tensor<Scalar>, batch: Int = 0) throws {
        let shape = tensor.shape
        guard shape.count == 4, shape[0] >= 1, shape[1] == 1 || shape[1] == 3, shape[2] >= 1, shape[3] >= 1 else {
            throw FormatError.invalidImageShape(
                shape,
                expected: "(B, C, H, W) with C = 1 (grey) or 3 (RGB) "
                    + "and H, W at least 1; add axes of length 1 for a single plane, e.g. [1, 1, H, W]")
        }
        let (channels, plane) = (shape[1], shape[2] * shape[3])
        let start = batch * channels * plane
        var samples = [UInt8](repeating: 0, count: channels * plane)
        tensor.scalars.withUnsafeBufferPointer { scalars in
            for channel in 0..<channels {
                for pixel in 0..<plane {
                    let value = scalars[start + channel * plane + pixel]
                    let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
                    samples[pixel * channels + channel] = UInt8((clamped * 255).rounded())
                }
            }
        }
        (self.channels, self.height, self.width, self.samples) = (channels, shape[2], shape[3], samples)
    }

    init(_ image: RGB8Image) {
        (width, height, channels, samples) = (image.width, image.height, 3, image.pixels)
    }
}

/// An image as a decoder returned it: planar colour and alpha, in [0, 1] for integer samples.
struct DecodedPlanes<Scalar: BinaryFloatingPoint> {
    /// `(1, C, H, W)`, C = 1 or 3.
    var color: Tensor<Scalar>
    /// `(1, 1, H, W)`, when the file has transparency.
    var alpha: Tensor<Scalar>?
    /// 8, 16 or 32 (float).
    var bitDepth: Int
    /// The EXIF (JPEG) or TIFF orientation tag, 1 to 8; not applied.
    var orientation: Int
    /// Whether an embedded ICC profile was converted to sRGB.
    var convertedProfile: Bool
}

/// Swift over the C functions of CImageCodecs: status codes become ``FormatError``s.
enum Codec {
    /// Decodes an image in `format` to planes scaled to [0, 1] (float samples as stored),
    /// converting an embedded ICC profile to sRGB when `convertProfile` is true.
    static func decode<Scalar: BinaryFloatingPoint>(
        _ bytes: [UInt8], format: FileFormat, name: String, maximumPixelCount: Int, convertProfile: Bool = false
    ) throws -> DecodedPlanes<Scalar> {
        var image = cic_image()
        var message = [CChar](repeating: 0, count: Int(CIC_MESSAGE_CAPACITY))
        let limit = max(0, maximumPixelCount)
        if format == .bmp || format == .pnm { _ = magickInitialized }
        let status = bytes.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                let (base, count, out) = (data.baseAddress, data.count, text.baseAddress)
                switch format {
                case .png: return cic_png_decode(base, count, limit, &image, out)
                case .jpeg: return cic_jpeg_decode(base, count, limit, &image, out)
                case .webp: return cic_webp_decode(base, count, limit, &image, out)
                case .avif: return cic_avif_decode(base, count, limit, &image, out)
                case .tiff: return cic_tiff_decode(base, count, limit, &image, out)
                case .gif: return cic_gif_decode(base, count, limit, &image, out)
                case .bmp: return cic_magick_decode(base, count, limit, "BMP", &image, out)
                case .pnm: return cic_magick_decode(base, count, limit, "PNM", &image, out)
                case .npy: return Int32(CIC_BAD_ARGUMENT)
                }
            }
        }
        defer {
            cic_free(image.samples)
            cic_free(image.icc)
        }
        try check(status, message, format: format, name: name, image: image, limit: maximumPixelCount)
        var convertedProfile = false
        if convertProfile, image.icc != nil {
            let converted = message.withUnsafeMutableBufferPointer { cic_icc_to_srgb(&image, $0.baseAddress) }
            guard Int(converted) == CIC_OK else {
                throw FormatError.colorProfileFailed(path: name, format: format, message: nullTerminatedText(message))
            }
            convertedProfile = true
        }
        let (width, height, channels) = (Int(image.width), Int(image.height), Int(image.channels))
        let colors = image.has_alpha != 0 ? channels - 1 : channels
        guard let samples = image.samples else {
            throw FormatError.corruptImage(path: name, format: format, message: "the decoder returned no samples")
        }
        let planes: (color: [Scalar], alpha: [Scalar]?)
        switch image.bit_depth {
        case 32: planes = deinterleave(samples, Float.self, width * height, channels, colors) { Scalar($0) }
        case 16: planes = deinterleave(samples, UInt16.self, width * height, channels, colors) { Scalar($0) / 65535 }
        default:
            // Scalar(v) / 255 for each byte value, computed once.
            let levels = (0...255).map { Scalar(UInt8($0)) / 255 }
            planes = levels.withUnsafeBufferPointer { levels in
                deinterleave(samples, UInt8.self, width * height, channels, colors) { levels[Int($0)] }
            }
        }
        let color = try Tensor(shape: [1, colors, height, width], scalars: planes.color)
        let alpha = try planes.alpha.map { try Tensor(shape: [1, 1, height, width], scalars: $0) }
        return DecodedPlanes(
            color: color, alpha: alpha, bitDepth: Int(image.bit_depth), orientation: Int(image.orientation),
            convertedProfile: convertedProfile)
    }

    /// A decoder's interleaved samples (`channels` per pixel, alpha last) as planes: the `colors`
    /// colour planes one after the other, and the alpha plane when there is one, each sample
    /// through `value`. One sequential pass over the samples, each element written once, straight
    /// into the arrays the tensors keep.
    @inline(__always)
    private static func deinterleave<Sample, Scalar>(
        _ raw: UnsafeMutableRawPointer, _: Sample.Type, _ plane: Int, _ channels: Int, _ colors: Int,
        _ value: (Sample) -> Scalar
    ) -> (color: [Scalar], alpha: [Scalar]?) {
        let samples = UnsafePointer(raw.assumingMemoryBound(to: Sample.self))
        // `channels` and `colors` constants in each call below, so that the inner loop is unrolled
        // (a loop over a variable number of colours, with checked offsets, took 3 cycles a sample).
        @inline(__always) func fill(_ color: UnsafeMutablePointer<Scalar>, _ alpha: UnsafeMutablePointer<Scalar>?, _ channels: Int, _ colors: Int) {
            for pixel in 0..<plane {
                let pixelSamples = samples + pixel &* channels
                for channel in 0..<colors { (color + (channel &* plane &+ pixel)).initialize(to: value(pixelSamples[channel])) }
                if let alpha { (alpha + pixel).initialize(to: value(pixelSamples[colors])) }
            }
        }
        var alpha: [Scalar]?
        let color = [Scalar](unsafeUninitializedCapacity: colors * plane) { color, count in
            func planes(_ alphaPlane: UnsafeMutablePointer<Scalar>?) {
                switch (channels, colors) {
                case (1, 1): fill(color.baseAddress!, alphaPlane, 1, 1)
                case (2, 1): fill(color.baseAddress!, alphaPlane, 2, 1)
                case (3, 3): fill(color.baseAddress!, alphaPlane, 3, 3)
                case (4, 3): fill(color.baseAddress!, alphaPlane, 4, 3)
                default: fill(color.baseAddress!, alphaPlane, channels, colors)
                }
            }
            if colors == channels {
                planes(nil)
            } else {
                alpha = [Scalar](unsafeUninitializedCapacity: plane) { alphaPlane, alphaCount in
                    planes(alphaPlane.baseAddress!)
                    alphaCount = plane
                }
            }
            count = colors * plane
        }
        return (color, alpha)
    }

    /// Throws the ``FormatError`` of a decoder's status, or returns for `CIC_OK`.
    private static func check(
        _ status: Int32, _ message: [CChar], format: FileFormat, name: String, image: cic_image, limit: Int
    ) throws {
        switch Int(status) {
        case CIC_OK:
            return
        case CIC_TOO_LARGE:
            throw FormatError.imageTooLarge(path: name, width: Int(image.width), height: Int(image.height), limit: limit)
        case CIC_NO_MEMORY:
            throw FormatError.corruptImage(path: name, format: format, message: "out of memory while decoding")
        case CIC_UNSUPPORTED:
            throw FormatError.unsupportedImage(path: name, format: format, message: nullTerminatedText(message))
        default:
            throw FormatError.corruptImage(path: name, format: format, message: nullTerminatedText(message))
        }
    }

    /// GraphicsMagick initialised once, before its first decode (a global's initialiser runs once,
    /// thread-safely).
    private static let magickInitialized: Bool = {
        cic_magick_initialize()
        return true
    }()

    /// Encodes 8-bit samples as a PNG, or as a JPEG of the given quality. A `fastPNG` is
    /// deflated without row filters at zlib level 1 (for the heat-maps and overlays the command
    /// draws: 12 times faster on a 616 x 512 heat-map, 18 % larger); the others with adaptive
    /// filters at level 6. Both decode to the same pixels.
    static func encode(_ raster: Raster8, as format: FileFormat, quality: Int = 95, fastPNG: Bool = false) throws -> [UInt8] {
        if format == .jpeg, !(1...100).contains(quality) { throw FormatError.invalidJPEGQuality(quality) }
        var output = cic_buffer()
        var message = [CChar](repeating: 0, count: Int(CIC_MESSAGE_CAPACITY))
        guard let width = Int32(exactly: raster.width), let height = Int32(exactly: raster.height) else {
            throw FormatError.invalidImageShape([raster.height, raster.width], expected: "sides below 2^31")
        }
        let status = raster.samples.withUnsafeBufferPointer { samples in
            message.withUnsafeMutableBufferPointer { text in
                format == .jpeg
                    ? cic_jpeg_encode(
                        samples.baseAddress, width, height, Int32(raster.channels), Int32(quality),
                        &output, text.baseAddress)
                    : cic_png_encode(
                        samples.baseAddress, width, height, Int32(raster.channels), fastPNG ? 1 : 0, &output, text.baseAddress)
            }
        }
        defer { cic_free(output.bytes) }
        guard Int(status) == CIC_OK else {
            throw FormatError.encodingFailed(format: format, message: nullTerminatedText(message))
        }
        return Array(UnsafeBufferPointer(start: output.bytes, count: output.count))
    }
}

/// The text in a C library's message buffer, up to its first NUL.
func nullTerminatedText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
