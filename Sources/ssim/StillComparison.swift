import Foundation
import SSIMFormats
import StructuralSimilarity

/// `ssim a.png b.png --convention ffmpeg`: two PNG stills compared as
/// `ffmpeg -i a.png -i b.png -lavfi ssim -f null -` does.
///
/// FFmpeg converts an RGB PNG (8-bit, with or without alpha) to its planar `gbrp` format, a
/// 16-bit one to `gbrp16le`, a grey one to `gray` or `gray16le` (alpha dropped): each channel is
/// a plane of the image's size, measured by ``FFmpegSSIM`` at the PNG's bit depth, and All is
/// their mean. The samples are the PNG's, recovered exactly from the reader's [0, 1] values.
/// JPEG is refused: FFmpeg compares a JPEG's decoded YCbCr planes (4:2:0 for most), which the
/// reader does not expose; so are palette PNGs, which FFmpeg converts to `gbrp` through
/// swscale with samples 1 off the palette's (measured: 42 % of them on a 64-colour picture).
enum StillComparison {
    /// The line or JSON object of the comparison.
    static func run(_ path1: String, _ path2: String, _ options: Options) throws -> String {
        if let option = Options.comparisonOptions.first(where: { options.given.contains($0) && !["--json", "--convention"].contains($0) }) {
            throw UsageError(description: "\(option) does not apply to --convention ffmpeg, whose 8 x 8 windows and constants are fixed (it takes --json)")
        }
        // As FFmpeg decodes them: the samples as stored, an iCCP profile not applied.
        let asStored = ImageReadOptions(convertsColorProfile: false, appliesOrientation: false)
        let (a, b) = (try ImageFile.read(path1, options: asStored), try ImageFile.read(path2, options: asStored))
        for (path, image) in [(path1, a), (path2, b)] where image.format != .png {
            throw DataError(
                description: "'\(path)' is a \(image.format.name): --convention ffmpeg compares PNG stills (FFmpeg compares a JPEG's "
                    + "YCbCr planes, which are not read here); convert it: ffmpeg -i \(path) -pix_fmt yuv420p OUT.y4m")
        }
        for path in [path1, path2] where isPalettePNG(path) {
            throw DataError(
                description: "'\(path)' is a palette PNG: FFmpeg converts palettes to planar RGB through swscale, 1 off "
                    + "the palette's colours, which --convention ffmpeg does not reproduce; convert it to RGB first "
                    + "(ffmpeg -i \(path) -pix_fmt rgb24 OUT.png)")
        }
        guard a.tensor.shape == b.tensor.shape, a.bitDepth == b.bitDepth else {
            throw DataError(
                description: "'\(path1)' is \(a.bitDepth)-bit \(a.tensor.shape) but '\(path2)' is \(b.bitDepth)-bit \(b.tensor.shape); "
                    + "compare PNGs of the same size, channels and bit depth")
        }
        let (height, width) = (a.height, a.width)
        guard min(width, height) >= FFmpegSSIM.smallestPlane else {
            throw DataError(description: "'\(path1)' is \(width) x \(height), smaller than the 8 x 8 window of --convention ffmpeg")
        }
        let planes = (0..<a.channels).map { channel in
            let x = samples(a, channel: channel), y = samples(b, channel: channel)
            return x.withUnsafeBytes { p in
                y.withUnsafeBytes { q in FFmpegSSIM.plane(p, q, width: width, height: height, bitDepth: a.bitDepth) }
            }
        }
        let names = a.channels == 3 ? ["R", "G", "B"] : ["Y"]
        let sizes = Array(repeating: (width: width, height: height), count: planes.count)
        let result = FrameSSIM(number: 1, names: names, planes: planes, all: FrameSSIM.weighted(planes, sizes))
        guard options.json else {
            let frame = result.text.dropFirst("frame 1  ".count)
            return "\(frame)  \(path1) vs \(path2)  [ffmpeg]"
        }
        guard case let .object(fields) = result.json else { return result.json.text }
        return JSONValue.object(
            [("image1", .string(path1)), ("image2", .string(path2))] + fields.dropFirst().dropLast()
                + [("convention", .string("ffmpeg")), ("schemaVersion", .integer(ComparisonResult.schemaVersion))]
        ).text
    }

    /// Whether the PNG at `path` stores a palette (colour type 3 in its IHDR chunk, byte 25).
    static func isPalettePNG(_ path: String) -> Bool {
        guard let file = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? file.close() }
        let head = (try? file.read(upToCount: 26)) ?? Data()
        return head.count == 26 && head[25] == 3
    }

    /// One channel's samples as FFmpeg holds them: bytes, or little-endian 16-bit words.
    static func samples(_ image: DecodedImage, channel: Int) -> [UInt8] {
        let count = image.width * image.height, maximum = Float((1 << image.bitDepth) - 1)
        let values = image.tensor.scalars[(channel * count)..<((channel + 1) * count)]
        if image.bitDepth <= 8 { return values.map { UInt8(($0 * maximum).rounded()) } }
        return values.flatMap { value -> [UInt8] in
            let word = UInt16((value * maximum).rounded())
            return [UInt8(word & 0xFF), UInt8(word >> 8)]
        }
    }
}
