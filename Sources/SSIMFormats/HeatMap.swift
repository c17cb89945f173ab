import StructuralSimilarity

/// Renders an SSIM map as a viridis heat-map in which dissimilar regions are bright, with a
/// colour bar that shows the scale.
///
/// Each SSIM value becomes its structural dissimilarity, clamped into [0, 1]:
///
/// ```
/// DSSIM = (1 - SSIM) / 2
/// ```
///
/// and DSSIM is coloured by ``Viridis``: identical regions (SSIM 1, DSSIM 0) dark purple,
/// opposite ones (SSIM -1, DSSIM 1) yellow. ``Scale`` picks which DSSIM range spans the colours.
///
/// With the legend, a vertical colour bar is appended on the right, with five tick marks and
/// its lowest and highest DSSIM (and the middle, when there is room) written in digits. Maps
/// shorter than 48 pixels are enlarged by a whole factor (nearest neighbour, up to 1024 pixels
/// on the longer side) so the bar and its labels fit; without the legend the image has exactly
/// one pixel per map value.
///
/// ```swift
/// let a = try ImageFile.read("a.png").tensor, b = try ImageFile.read("b.png").tensor
/// let map = try ssim(a, b, windowSize: 11)                      // the SSIM map, (1, C, H, W)
/// let heat = try HeatMap(scale: .automatic).render(map)
/// try ImageFile.write(heat, to: "heat.png", inputs: ["a.png", "b.png"])
/// ```
public struct HeatMap: Sendable {
    /// Which DSSIM values map to the darkest and the brightest colour.
    ///
    /// ```swift
    /// HeatMap(scale: .fixed(0...0.1))   // DSSIM 0.1 and above are yellow
    /// ```
    public enum Scale: Equatable, Sendable {
        /// DSSIM 0...1, the whole possible range: comparable between images.
        case full
        /// From 0 to the largest DSSIM in the map (0...1 when the images are identical): shows
        /// detail when all differences are small.
        case automatic
        /// A range chosen by the caller; values outside are clamped.
        case fixed(ClosedRange<Double>)
    }

    /// The DSSIM range spanned by the colours.
    public var scale: Scale
    /// Whether to append the colour bar on the right.
    public var showsLegend: Bool

    /// The least height of an image with a legend, in pixels.
    static let minimumLegendHeight = 48
    static let background: (UInt8, UInt8, UInt8) = (255, 255, 255)
    static let ink: (UInt8, UInt8, UInt8) = (0, 0, 0)

    /// Creates a renderer.
    ///
    /// ```swift
    /// let renderer = HeatMap(scale: .automatic, showsLegend: false)
    /// ```
    public init(scale: Scale = .full, showsLegend: Bool = true) {
        (self.scale, self.showsLegend) = (scale, showsLegend)
    }

    /// The structural dissimilarity of an SSIM value, `(1 - ssim) / 2` clamped into [0, 1]
    /// (NaN stays NaN).
    ///
    /// ```swift
    /// HeatMap.dissimilarity(0.8)   // 0.1
    /// ```
    public static func dissimilarity(_ ssim: Double) -> Double {
        min(max((1 - ssim) / 2, 0), 1)
    }

    /// Renders an SSIM map.
    ///
    /// ```swift
    /// let heat = try HeatMap().render(try Tensor<Float>(shape: [3, 3], repeating: 1))
    /// ```
    ///
    /// - Parameter ssimMap: shape `(H, W)`, `(C, H, W)` or `(1, C, H, W)`; channels are
    ///   averaged. NaN values are drawn as the brightest colour.
    /// - Returns: the heat-map, with the colour bar when ``showsLegend`` is set.
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for another shape or an empty map.
    public func render<Scalar: BinaryFloatingPoint>(_ ssimMap: Tensor<Scalar>) throws -> RGB8Image {
        try Rows(self, ssimMap, expected: Self.expectedSSIMMap, dissimilarity: true).image()
    }

    /// Renders a map of values coloured as they are, without the SSIM-to-DSSIM conversion: a loss
    /// map (MS-SSIM + L1's `(1, H, W)`), dark at the bottom of the scale, bright at its top
    /// (``Scale/full`` is 0...1; ``Scale/automatic`` 0 to the largest value).
    ///
    /// ```swift
    /// let heat = try HeatMap(scale: .automatic).render(values: lossMap)   // (1, H, W)
    /// ```
    ///
    /// - Parameter values: shape `(H, W)`, `(C, H, W)` or `(1, C, H, W)`; channels are averaged.
    /// - Returns: the heat-map, with the colour bar when ``showsLegend`` is set.
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for another shape or an empty map.
    public func render<Scalar: BinaryFloatingPoint>(values: Tensor<Scalar>) throws -> RGB8Image {
        try Rows(self, values, expected: Self.expectedValues, dissimilarity: false).image()
    }

    /// Renders an SSIM map and writes it as a PNG (or a JPEG, by the extension of `path`), the
    /// same file as `ImageFile.write(try render(ssimMap), to: path, inputs: inputs)`, atomically
    /// and never over one of `inputs`.
    ///
    /// A PNG's rows are drawn on another thread while the rows above them are deflated, and the
    /// whole picture is never held in memory (see ``ImageFile/encodePNG(_:)-(RGB8Image)`` for
    /// the encoding): at 4096 x 4096 the drawing is hidden behind the deflate.
    ///
    /// ```swift
    /// let a = try ImageFile.read("a.png").tensor, b = try ImageFile.read("b.png").tensor
    /// try HeatMap().write(try ssim(a, b, windowSize: 11), to: "heat.png", inputs: ["a.png", "b.png"])
    /// ```
    ///
    /// - Throws: the errors of ``render(_:)`` and of ``ImageFile/write(_:to:jpegQuality:inputs:)-(RGB8Image,_,_,_)``.
    public func write<Scalar: BinaryFloatingPoint>(_ ssimMap: Tensor<Scalar>, to path: String, inputs: [String] = []) throws {
        try Self.write(Rows(self, ssimMap, expected: Self.expectedSSIMMap, dissimilarity: true), to: path, inputs: inputs)
    }

    /// Renders a map of values as ``render(values:)`` does and writes it as
    /// ``write(_:to:inputs:)`` writes an SSIM map's.
    ///
    /// ```swift
    /// try HeatMap(scale: .automatic).write(values: lossMap, to: "loss.png", inputs: ["a.png", "b.png"])
    /// ```
    ///
    /// - Throws: the errors of ``render(values:)`` and of ``ImageFile/write(_:to:jpegQuality:inputs:)-(RGB8Image,_,_,_)``.
    public func write<Scalar: BinaryFloatingPoint>(values: Tensor<Scalar>, to path: String, inputs: [String] = []) throws {
        try Self.write(Rows(self, values, expected: Self.expectedValues, dissimilarity: false), to: path, inputs: inputs)
    }

    static let expectedSSIMMap = "an SSIM map of shape (H, W), (C, H, W) or (1, C, H, W)"
    static let expectedValues = "a map of shape (H, W), (C, H, W) or (1, C, H, W)"

    /// A PNG band by band through ``PNGRowWriter``; another format from the whole image.
    private static func write(_ rows: Rows, to path: String, inputs: [String]) throws {
        guard FileFormat(pathExtensionOf: path) == .png else {
            try ImageFile.write(rows.image(), to: path, inputs: inputs)
            return
        }
        try PNGRowWriter.write(width: rows.width, height: rows.height, to: path, inputs: inputs) { band, pixels in
            rows.draw(band, into: pixels)
        }
    }

    /// The colour bar: its geometry in units that grow with the image height.
    struct Legend {
        var range: ClosedRange<Double>
        var height: Int
        var unit: Int { max(1, height / 128) }
        var gap: Int { 4 * unit }
        var barWidth: Int { 6 * unit }
        var tickLength: Int { 2 * unit }
        var barTop: Int { 3 * unit }
        var barHeight: Int { height - 6 * unit }
        var labels: [(value: Double, fraction: Double)] {
            let middle = (range.lowerBound + range.upperBound) / 2
            return [(range.upperBound, 1), (range.lowerBound, 0)] + (barHeight >= 30 * unit ? [(middle, 0.5)] : [])
        }
        var width: Int {
            let text = labels.map { PixelFont.width(of: HeatMap.label($0.value), scale: unit) }.max() ?? 0
            return gap + barWidth + tickLength + unit + text + 2 * unit
        }

        /// The row of the bar showing `fraction` of the range (0 at the bottom).
        func row(_ fraction: Double) -> Int {
            barTop + Int(((1 - fraction) * Double(barHeight - 1)).rounded())
        }

        func draw(into image: inout RGB8Image, at left: Int, color: (Double) -> (UInt8, UInt8, UInt8)) {
            let barLeft = left + gap
            let span = range.upperBound - range.lowerBound
            for offset in 0..<barHeight {
                let fraction = barHeight > 1 ? 1 - Double(offset) / Double(barHeight - 1) : 1
                image.fill(
                    x: barLeft, y: barTop + offset, width: barWidth, height: 1,
                    color: color(range.lowerBound + fraction * span))
            }
            for fraction in [0, 0.25, 0.5, 0.75, 1] {
                image.fill(
                    x: barLeft + barWidth, y: row(fraction) - unit / 2, width: tickLength, height: unit,
                    color: HeatMap.ink)
            }
            let textLeft = barLeft + barWidth + tickLength + unit
            for (value, fraction) in labels {
                let top = min(max(0, row(fraction) - 2 * unit), height - PixelFont.height * unit)
                PixelFont.draw(HeatMap.label(value), into: &image, x: textLeft, y: top, scale: unit, color: HeatMap.ink)
            }
        }
    }

    /// A value with three significant digits at most, without trailing zeros: "0", "0.25", "1".
    static func label(_ value: Double) -> String {
        guard value != 0 else { return "0" }
        guard value.isFinite, value.magnitude < 1e9 else { return "" }
        let decimals = min(6, max(0, 2 - Int((value.magnitude).log10Floor)))
        var scaled = Int((value.magnitude * pow10(decimals)).rounded())
        var digits = ""
        for _ in 0..<decimals {
            digits = String(scaled % 10) + digits
            scaled /= 10
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return (value < 0 ? "-" : "") + String(scaled) + (digits.isEmpty ? "" : "." + digits)
    }

    private static func pow10(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}

extension Double {
    /// `floor(log10(self))` for a positive finite value, without Foundation.
    fileprivate var log10Floor: Int {
        var exponent = 0
        var value = self
        while value >= 10 { value /= 10; exponent += 1 }
        while value < 1 { value *= 10; exponent -= 1 }
        return exponent
    }
}
