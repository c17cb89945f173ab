import SSIMFormats
import StructuralSimilarity

/// The SSIM of one pair of video frames: each plane's (Y, U, V; Y alone for mono) and their
/// mean weighted by the planes' pixel counts ("All", FFmpeg's weighting), with its dB figure.
struct FrameSSIM {
    /// The frames' number, from 1.
    var number: Int
    /// The planes' names: Y, U, V (FFmpeg's R, G, B for RGB stills).
    var names: [String]
    /// The SSIM of each plane.
    var planes: [Double]
    /// `sum_i planes[i] pixels_i / sum_i pixels_i`.
    var all: Double
    /// `10 log10(1 / (1 - All))`, FFmpeg's figure (infinity for identical frames).
    var decibels: Double { FFmpegSSIM.decibels(all) }

    /// The plane names, in order.
    static func names(planeCount: Int) -> [String] { Array(["Y", "U", "V"].prefix(planeCount)) }

    /// Compares two frames of the same layout: under `--convention ffmpeg` with FFmpeg's
    /// arithmetic (``FFmpegSSIM``), otherwise each plane as a `(1, 1, H, W)` Float image in
    /// [0, 1] (samples over `2^depth - 1`) through the library's ``ssim(_:_:options:)`` with the
    /// settings' options, its mean.
    ///
    /// - Throws: ``DataError`` for planes too small for the window.
    static func compare(_ x: YUVFrame, _ y: YUVFrame, _ settings: SSIMSettings) throws -> FrameSSIM {
        let header = x.header
        var planes: [Double] = []
        for (index, plane) in header.planes.enumerated() {
            if settings.ffmpeg {
                let value = x.withPlane(index) { a in
                    y.withPlane(index) { b in
                        FFmpegSSIM.plane(a, b, width: plane.width, height: plane.height, bitDepth: header.bitDepth)
                    }
                }
                planes.append(value)
            } else {
                let shape = [1, 1, plane.height, plane.width]
                let a = try Tensor(shape: shape, scalars: x.values(plane: index, as: Float.self))
                let b = try Tensor(shape: shape, scalars: y.values(plane: index, as: Float.self))
                do {
                    planes.append(Comparison.mean(try ssim(a, b, options: settings.options)))
                } catch let error as SSIMError {
                    throw DataError(description: "cannot compare plane \(names(planeCount: 3)[index]) of frame \(x.number): \(error)")
                }
            }
        }
        let sizes = header.planes.map { (width: $0.width, height: $0.height) }
        return FrameSSIM(number: x.number, names: names(planeCount: planes.count), planes: planes, all: weighted(planes, sizes))
    }

    /// FFmpeg's All: `coefs[i] = (double) h_i * w_i / sum`, then `sum of coefs[i] * c[i]` in order.
    static func weighted(_ planes: [Double], _ sizes: [(width: Int, height: Int)]) -> Double {
        let pixels = sizes.reduce(0) { $0 + $1.width * $1.height }
        var all = 0.0
        for (size, value) in zip(sizes, planes) {
            all += Double(size.height) * Double(size.width) / Double(pixels) * value
        }
        return all
    }

    /// `frame 1  Y 0.95520900  U 0.95486600  V 0.95406700  All 0.95471400  (13.44037800 dB)`.
    var text: String {
        let values = zip(names, planes).map { "\($0) \(ComparisonResult.format($1))" }
        return "frame \(number)  " + values.joined(separator: "  ") + "  All \(ComparisonResult.format(all))  (\(Self.formatDecibels(decibels)))"
    }

    /// `{"frame": 1, "Y": ..., "U": ..., "V": ..., "All": ..., "dB": ..., "schemaVersion": 1}`
    /// (dB null for identical frames).
    var json: JSONValue {
        var fields: [(String, JSONValue)] = [("frame", .integer(number))]
        fields += zip(names, planes).map { ($0, .number($1)) }
        fields += [("All", .number(all)), ("dB", .number(decibels)), ("schemaVersion", .integer(ComparisonResult.schemaVersion))]
        return .object(fields)
    }

    /// `13.44037800 dB`, or `inf dB`.
    static func formatDecibels(_ value: Double) -> String {
        (value.isFinite ? ComparisonResult.format(value) : "inf") + " dB"
    }
}
