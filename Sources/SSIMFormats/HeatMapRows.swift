import StructuralSimilarity

extension HeatMap {
    /// The pixels of a heat-map, drawn a band of rows at a time: ``HeatMap/render(_:)`` draws
    /// them all into one image, ``HeatMap/write(_:to:inputs:)`` hands each band to the deflate
    /// while the next is drawn.
    ///
    /// Each row's channel mean (and DSSIM) is computed from the map when the row is drawn, in
    /// `Double`, channel 0, 1, ... added to 0.0 in turn, then divided: the values of a whole
    /// plane of means, without the plane (134 MB for a 4096 x 4096 map). The colour bar is
    /// drawn once, then copied beside each row. (Unchecked `Sendable`: nothing changes after
    /// `init`, and `valuesOfRow` only reads the map's array.)
    struct Rows: @unchecked Sendable {
        /// The heat-map's size, in pixels (with the colour bar).
        let width: Int, height: Int
        private let mapWidth: Int, mapHeight: Int, zoom: Int
        private let range: ClosedRange<Double>
        /// The colour bar, as wide as the columns right of the map and as high as the heat-map.
        private let legend: RGB8Image?
        /// Writes the values of map row `row` (channel means, or their DSSIM) into `values`
        /// (`mapWidth` of them).
        private let valuesOfRow: (_ row: Int, _ values: UnsafeMutablePointer<Double>) -> Void

        /// The geometry of `heatMap`'s picture of `map`, its scale resolved.
        ///
        /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` with `expected` for a shape
        ///   other than `(H, W)`, `(C, H, W)` or `(1, C, H, W)`, or an empty map.
        init<Scalar: BinaryFloatingPoint>(_ heatMap: HeatMap, _ map: Tensor<Scalar>, expected: String, dissimilarity: Bool) throws {
            let shape = map.shape
            guard (2...4).contains(shape.count), shape.count < 4 || shape[0] == 1,
                let width = shape.last, let height = shape.dropLast().last, width > 0, height > 0, !shape.contains(0)
            else {
                throw FormatError.invalidImageShape(shape, expected: expected)
            }
            (mapWidth, mapHeight) = (width, height)
            valuesOfRow = Self.channelMean(map, width: width, height: height, dissimilarity: dissimilarity)
            switch heatMap.scale {
            case .full: range = 0...1
            case .automatic: range = 0...(Self.largestValue(of: valuesOfRow, width: width, height: height) ?? 1)
            case let .fixed(chosen): range = chosen
            }
            zoom =
                heatMap.showsLegend
                ? max(1, min((HeatMap.minimumLegendHeight + height - 1) / height, 1024 / max(width, height)))
                : 1
            if heatMap.showsLegend {
                let bar = Legend(range: range, height: max(height * zoom, HeatMap.minimumLegendHeight))
                var legend = RGB8Image(width: bar.width, height: bar.height, color: HeatMap.background)
                let (range, span) = (range, range.upperBound - range.lowerBound)
                bar.draw(into: &legend, at: 0) { Viridis.color(at: Self.position($0, in: range, span: span)) }
                self.legend = legend
            } else {
                legend = nil
            }
            self.width = width * zoom + (legend?.width ?? 0)
            self.height = legend?.height ?? height
        }

        /// Draws the heat-map's rows `rows` into `pixels`, `width * 3` bytes a row (RGB).
        func draw(_ rows: Range<Int>, into pixels: UnsafeMutablePointer<UInt8>) {
            let (stride, mapBytes) = (width * 3, mapWidth * zoom * 3)
            let span = range.upperBound - range.lowerBound
            let values = UnsafeMutablePointer<Double>.allocate(capacity: mapWidth)
            defer { values.deallocate() }
            // The table at hand (through the global, 46 ns a pixel).
            Viridis.table.withUnsafeBufferPointer { table in
                for row in rows {
                    var pixel = pixels + (row - rows.lowerBound) * stride
                    if row < mapHeight * zoom {
                        valuesOfRow(row / zoom, values)
                        for column in 0..<mapWidth {
                            let (r, g, b) = Viridis.color(at: Self.position(values[column], in: range, span: span), table: table)
                            for _ in 0..<zoom {
                                (pixel[0], pixel[1], pixel[2]) = (r, g, b)
                                pixel += 3
                            }
                        }
                    } else {
                        for _ in 0..<(mapWidth * zoom) {
                            (pixel[0], pixel[1], pixel[2]) = HeatMap.background
                            pixel += 3
                        }
                    }
                    legend?.pixels.withUnsafeBufferPointer { bar in
                        let barBytes = stride - mapBytes
                        pixel.update(from: bar.baseAddress! + row * barBytes, count: barBytes)
                    }
                }
            }
        }

        /// The whole heat-map in one image.
        func image() -> RGB8Image {
            let pixels = [UInt8](unsafeUninitializedCapacity: width * height * 3) { buffer, count in
                draw(0..<height, into: buffer.baseAddress!)
                count = width * height * 3
            }
            return try! RGB8Image(width: width, height: height, pixels: pixels)  // width * height * 3 bytes
        }

        /// Where `value` falls in `range` (`span` its length): 0 at the bottom, 1 at the top.
        @inline(__always)
        private static func position(_ value: Double, in range: ClosedRange<Double>, span: Double) -> Double {
            span > 0 ? (value - range.lowerBound) / span : (value > range.lowerBound ? 1 : 0)
        }

        /// The largest value of the map that is not NaN, when it is above 0.
        private static func largestValue(
            of valuesOfRow: (Int, UnsafeMutablePointer<Double>) -> Void, width: Int, height: Int
        ) -> Double? {
            let values = UnsafeMutablePointer<Double>.allocate(capacity: width)
            defer { values.deallocate() }
            var largest: Double?
            for row in 0..<height {
                valuesOfRow(row, values)
                for column in 0..<width where !values[column].isNaN { largest = max(largest ?? values[column], values[column]) }
            }
            return largest.flatMap { $0 > 0 ? $0 : nil }
        }

        /// The function that computes a row's mean over the channels of `map` (`width` x
        /// `height` planes), or that mean's ``HeatMap/dissimilarity(_:)``.
        @_specialize(where Scalar == Float)
        @_specialize(where Scalar == Double)
        private static func channelMean<Scalar: BinaryFloatingPoint>(
            _ map: Tensor<Scalar>, width: Int, height: Int, dissimilarity: Bool
        ) -> (Int, UnsafeMutablePointer<Double>) -> Void {
            let scalars = map.scalars
            let plane = width * height
            let channels = scalars.count / plane
            return { row, values in
                scalars.withUnsafeBufferPointer { scalars in
                    for column in 0..<width { values[column] = 0 }
                    for channel in 0..<channels {
                        let source = scalars.baseAddress! + channel * plane + row * width
                        for column in 0..<width { values[column] += Double(source[column]) }
                    }
                    if dissimilarity {
                        for column in 0..<width { values[column] = HeatMap.dissimilarity(values[column] / Double(channels)) }
                    } else {
                        for column in 0..<width { values[column] /= Double(channels) }
                    }
                }
            }
        }
    }
}
