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
        let (dssim, width, height) = try Self.channelMean(
            ssimMap, expected: "an SSIM map of shape (H, W), (C, H, W) or (1, C, H, W)", dissimilarity: true)
        return draw(dssim, width: width, height: height)
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
        let (mean, width, height) = try Self.channelMean(values, expected: "a map of shape (H, W), (C, H, W) or (1, C, H, W)", dissimilarity: false)
        return draw(mean, width: width, height: height)
    }

    /// The mean over channels of a map of shape `(H, W)`, `(C, H, W)` or `(1, C, H, W)`, pixel by
    /// pixel in `Double` (its ``dissimilarity(_:)`` when `dissimilarity`, in the same pass), with
    /// its width and height.
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` with `expected` for another shape
    ///   or an empty map.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private static func channelMean<Scalar: BinaryFloatingPoint>(
        _ map: Tensor<Scalar>, expected: String, dissimilarity: Bool
    ) throws -> (mean: [Double], width: Int, height: Int) {
        let shape = map.shape
        guard (2...4).contains(shape.count), shape.count < 4 || shape[0] == 1,
            let width = shape.last, let height = shape.dropLast().last, width > 0, height > 0, !shape.contains(0)
        else {
            throw FormatError.invalidImageShape(shape, expected: expected)
        }
        let plane = width * height
        let channels = map.scalars.count / plane
        // Channel 0, 1, ... added to 0.0 in turn, then divided: one pass over each plane.
        var sums = [Double](repeating: 0, count: plane)
        map.scalars.withUnsafeBufferPointer { scalars in
            sums.withUnsafeMutableBufferPointer { sums in
                for channel in 0..<channels {
                    let values = scalars.baseAddress! + channel * plane
                    for pixel in 0..<plane { sums[pixel] += Double(values[pixel]) }
                }
                if dissimilarity {
                    for pixel in 0..<plane { sums[pixel] = Self.dissimilarity(sums[pixel] / Double(channels)) }
                } else {
                    for pixel in 0..<plane { sums[pixel] /= Double(channels) }
                }
            }
        }
        return (sums, width, height)
    }

    /// Colours `values` (row-major, `width` x `height`) on the scale, with the legend.
    private func draw(_ dssim: [Double], width: Int, height: Int) -> RGB8Image {
        let range: ClosedRange<Double>
        switch scale {
        case .full: range = 0...1
        case .automatic: range = 0...(dssim.filter { !$0.isNaN }.max().flatMap { $0 > 0 ? $0 : nil } ?? 1)
        case let .fixed(chosen): range = chosen
        }
        let span = range.upperBound - range.lowerBound
        @inline(__always) func position(_ value: Double) -> Double {
            span > 0 ? (value - range.lowerBound) / span : (value > range.lowerBound ? 1 : 0)
        }
        func color(_ value: Double) -> (UInt8, UInt8, UInt8) { Viridis.color(at: position(value)) }

        let zoom =
            showsLegend
            ? max(1, min((Self.minimumLegendHeight + height - 1) / height, 1024 / max(width, height)))
            : 1
        let legend = showsLegend ? Legend(range: range, height: max(height * zoom, Self.minimumLegendHeight)) : nil
        var image = RGB8Image(
            width: width * zoom + (legend?.width ?? 0), height: legend?.height ?? height, color: Self.background)
        // The map's pixels with the table at hand (through the global, 46 ns a pixel).
        Viridis.table.withUnsafeBufferPointer { table in
            dssim.withUnsafeBufferPointer { dssim in
                image.fillBlocks(columns: width, rows: height, size: zoom) { Viridis.color(at: position(dssim[$0]), table: table) }
            }
        }
        legend?.draw(into: &image, at: width * zoom, color: color)
        return image
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
