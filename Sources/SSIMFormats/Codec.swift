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

/// Swift over the C functions of CImageCodecs: status codes become ``FormatError``s.
enum Codec {
    /// Decodes a PNG or JPEG to a `(1, C, H, W)` tensor scaled to [0, 1].
    static func decode<Scalar: BinaryFloatingPoint>(
        _ bytes: [UInt8], format: FileFormat, name: String, maximumPixelCount: Int
    ) throws -> (tensor: Tensor<Scalar>, bitDepth: Int, droppedAlpha: Bool) {
        var image = cic_image()
        var message = [CChar](repeating: 0, count: Int(CIC_MESSAGE_CAPACITY))
        let limit = max(0, maximumPixelCount)
        let status = bytes.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                format == .png
                    ? cic_png_decode(data.baseAddress, data.count, limit, &image, text.baseAddress)
                    : cic_jpeg_decode(data.baseAddress, data.count, limit, &image, text.baseAddress)
            }
        }
        defer { cic_free(image.samples) }
        switch Int(status) {
        case CIC_OK:
            break
        case CIC_TOO_LARGE:
            throw FormatError.imageTooLarge(
                path: name, width: Int(image.width), height: Int(image.height), limit: maximumPixelCount)
        case CIC_NO_MEMORY:
            throw FormatError.corruptImage(path: name, format: format, message: "out of memory while decoding")
        default:
            throw FormatError.corruptImage(path: name, format: format, message: nullTerminatedText(message))
        }
        let (width, height, channels) = (Int(image.width), Int(image.height), Int(image.channels))
        let plane = width * height
        var scalars = [Scalar](repeating: 0, count: channels * plane)
        scalars.withUnsafeMutableBufferPointer { planar in
            func deinterleave<Sample: FixedWidthInteger & UnsignedInteger>(_: Sample.Type) {
                let samples = image.samples.assumingMemoryBound(to: Sample.self)
                let maximum = Scalar(Sample.max)
                for pixel in 0..<plane {
                    for channel in 0..<channels {
                        planar[channel * plane + pixel] = Scalar(samples[pixel * channels + channel]) / maximum
                    }
                }
            }
            if image.bit_depth == 16 { deinterleave(UInt16.self) } else { deinterleave(UInt8.self) }
        }
        let tensor = try Tensor(shape: [1, channels, height, width], scalars: scalars)
        return (tensor, Int(image.bit_depth), image.had_alpha != 0)
    }

    /// Encodes 8-bit samples as a PNG, or as a JPEG of the given quality.
    static func encode(_ raster: Raster8, as format: FileFormat, quality: Int = 95) throws -> [UInt8] {
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
                    : cic_png_encode(samples.baseAddress, width, height, Int32(raster.channels), &output, text.baseAddress)
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
private func nullTerminatedText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
