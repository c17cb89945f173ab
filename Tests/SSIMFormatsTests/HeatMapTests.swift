import Testing
import SSIMTestSupport
import StructuralSimilarity
@testable import SSIMFormats

@Suite struct HeatMapTests {
    static let purple: (UInt8, UInt8, UInt8) = (68, 1, 84)
    static let yellow: (UInt8, UInt8, UInt8) = (253, 231, 37)

    @Test func dissimilarityIsHalfOfOneMinusSSIMClamped() {
        #expect(HeatMap.dissimilarity(1) == 0)
        #expect(HeatMap.dissimilarity(-1) == 1)
        #expect(HeatMap.dissimilarity(0.5) == 0.25)
        #expect(HeatMap.dissimilarity(1.5) == 0 && HeatMap.dissimilarity(-3) == 1)
    }

    @Test func withoutLegendEachMapValueIsOnePixelAndDissimilarIsBright() throws {
        let map = try Tensor<Float>(shape: [1, 1, 2, 3], scalars: [1, 1, 1, -1, -1, .nan])
        let image = try HeatMap(showsLegend: false).render(map)
        #expect(image.width == 3 && image.height == 2)
        #expect(image[0, 0] == Self.purple && image[2, 0] == Self.purple)
        #expect(image[0, 1] == Self.yellow && image[2, 1] == Self.yellow)
    }

    @Test func channelsAreAveraged() throws {
        let map = try Tensor<Double>(shape: [3, 1, 1], scalars: [1, 1, -2])
        #expect(try HeatMap(showsLegend: false).render(map)[0, 0] == Viridis.color(at: 0.5))
    }

    @Test func scalesStretchTheColours() throws {
        let map = try Tensor<Float>(shape: [1, 2], scalars: [1, 0.5])  // DSSIM 0 and 0.25
        let automatic = try HeatMap(scale: .automatic, showsLegend: false).render(map)
        #expect(automatic[0, 0] == Self.purple && automatic[1, 0] == Self.yellow)
        let fixed = try HeatMap(scale: .fixed(0...0.5), showsLegend: false).render(map)
        #expect(fixed[1, 0] == Viridis.color(at: 0.5))
        let full = try HeatMap(scale: .full, showsLegend: false).render(map)
        #expect(full[1, 0] == Viridis.color(at: 0.25))
        let identical = try HeatMap(scale: .automatic, showsLegend: false).render(try Tensor<Float>(shape: [1, 1], repeating: 1))
        #expect(identical[0, 0] == Self.purple)
    }

    @Test func tinyMapsAreEnlargedBesideALabelledBar() throws {
        let map = try Tensor<Float>(shape: [1, 1, 3, 3], scalars: [1, 1, 1, 1, -1, 1, 1, 1, 1])
        let image = try HeatMap().render(map)
        #expect(image.height == 48)
        #expect(image.width > 48 + 10)
        #expect(image[0, 0] == Self.purple && image[47, 47] == Self.purple)
        #expect(image[16, 16] == Self.yellow && image[31, 31] == Self.yellow)
        // The bar: yellow at the top, purple at the bottom, black ticks and digits to its right.
        let column = (48..<image.width).first { image[$0, 24] != HeatMap.background }!
        #expect(image[column + 1, 3] == Self.yellow)
        #expect(image[column + 1, 44] == Self.purple)
        let legendPixels = (48..<image.width).flatMap { x in (0..<48).map { y in image[x, y] } }
        #expect(legendPixels.filter { $0 == HeatMap.ink }.count > 20)
    }

    @Test func largeMapsKeepTheirSizeAndGrowTheLegend() throws {
        let map = try Tensor<Float>(shape: [1, 1, 300, 40], repeating: 0.9)
        let image = try HeatMap().render(map)
        #expect(image.height == 300)
        #expect(image[39, 299] == Viridis.color(at: 0.05))
        #expect(image.width - 40 == HeatMap.Legend(range: 0...1, height: 300).width)
        #expect(HeatMap.Legend(range: 0...1, height: 300).unit == 2)
        let wide = try HeatMap().render(try Tensor<Float>(shape: [1, 2000], repeating: 1))
        #expect(wide.height == 48 && wide.width > 2000)
    }

    /// A heat-map is written deflated for speed (no row filter, zlib level 1): other bytes than
    /// the default encoding, the same pixels, which are the rendered ones.
    @Test func fastPNGDecodesToTheRenderedPixels() throws {
        for (shape, seed) in [([1, 3, 61, 47], UInt64(1)), ([1, 1, 9, 5], 2), ([1, 3, 300, 40], 3)] {
            let map: Tensor<Float> = randomTensor(shape, in: -1...1, seed: seed)
            let heat = try HeatMap(scale: .automatic).render(map)
            let fast = try ImageFile.encodePNG(heat)
            let standard = try Codec.encode(Raster8(heat), as: .png)
            #expect(fast != standard)
            for bytes in [fast, standard] {
                let decoded = try ImageFile.decode(bytes)
                #expect(decoded.tensor.shape == [1, 3, heat.height, heat.width])
                let plane = heat.width * heat.height
                let samples = (0..<plane).flatMap { pixel in
                    (0..<3).map { UInt8((decoded.tensor.scalars[$0 * plane + pixel] * 255).rounded()) }
                }
                #expect(samples == heat.pixels)
            }
        }
    }

    /// The map is drawn row by row: the same pixels as filling each value's square in turn.
    @Test func blocksAreTheSquaresOfEachValue() throws {
        // Enlarged to 48 pixels high at least by a whole factor, 1024 on the longer side at most.
        for (width, height, legend) in [(3, 2, false), (3, 2, true), (3, 3, true), (5, 4, true), (700, 30, true)] {
            let zoom = legend ? max(1, min((48 + height - 1) / height, 1024 / max(width, height))) : 1
            let map: Tensor<Double> = randomTensor([height, width], in: -1...1, seed: UInt64(width * height))
            let heat = try HeatMap(showsLegend: legend).render(map)
            #expect(heat.height >= height * zoom && heat.width >= width * zoom)
            var expected = heat
            for y in 0..<height {
                for x in 0..<width {
                    let color = Viridis.color(at: HeatMap.dissimilarity(map.scalars[y * width + x]))
                    expected.fill(x: x * zoom, y: y * zoom, width: zoom, height: zoom, color: color)
                }
            }
            #expect(heat == expected)
            #expect(heat[width * zoom - 1, height * zoom - 1] == Viridis.color(at: HeatMap.dissimilarity(map.scalars.last!)))
        }
    }

    /// `write` draws the rows band by band while they are deflated: the file is the one of the
    /// whole rendered image, byte for byte, for maps of one band and of more bands than buffers
    /// (a 400-row map of 1,500 columns is 8 bands of 55 rows, 4 buffers), enlarged or not.
    @Test func writtenHeatMapIsTheRenderedOneEncoded() throws {
        let directory = try TemporaryDirectory()
        let cases: [([Int], HeatMap)] = [
            ([1, 3, 61, 47], HeatMap()), ([1, 1, 9, 5], HeatMap()), ([3, 300, 40], HeatMap(scale: .automatic)),
            ([1, 1, 400, 1500], HeatMap(scale: .fixed(0.1...0.4))), ([2, 7], HeatMap(showsLegend: false)),
        ]
        for (index, (shape, heatMap)) in cases.enumerated() {
            let map: Tensor<Float> = randomTensor(shape, in: -1...1, seed: UInt64(index + 10))
            let path = directory.file("heat\(index).png")
            try heatMap.write(map, to: path, inputs: ["a.png"])
            #expect(try readFile(path) == ImageFile.encodePNG(heatMap.render(map)), "\(shape)")
            let values: Tensor<Double> = randomTensor(shape, in: 0...2, seed: UInt64(index + 20))
            try heatMap.write(values: values, to: path, inputs: [])
            #expect(try readFile(path) == ImageFile.encodePNG(heatMap.render(values: values)), "\(shape)")
        }
        // Another extension: the whole image through ImageFile.write.
        let map: Tensor<Float> = randomTensor([1, 1, 30, 20], in: -1...1, seed: 30)
        try HeatMap().write(map, to: directory.file("heat.jpg"))
        try ImageFile.write(HeatMap().render(map), to: directory.file("expected.jpg"))
        #expect(try readFile(directory.file("heat.jpg")) == readFile(directory.file("expected.jpg")))
    }

    @Test func writeRefusesBadMapsAndInputsAndLeavesNoFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("heat.png")
        guard case .invalidImageShape? = formatError({ try HeatMap().write(try Tensor<Float>(shape: [2, 1, 3, 3], repeating: 1), to: path) })
        else {
            Issue.record("a batch of two maps was accepted")
            return
        }
        let map = try Tensor<Float>(shape: [1, 1, 3, 3], repeating: 1)
        #expect(formatError { try HeatMap().write(map, to: path, inputs: [path]) } == .outputIsInput(path: path))
        #expect(directory.contents.isEmpty)
    }

    @Test func rejectsShapesThatAreNotOneMap() throws {
        for shape in [[5], [2, 1, 3, 3], [0, 3], [1, 1, 1, 1, 1], [1, 0, 3, 3]] {
            let map = try Tensor<Float>(shape: shape, repeating: 1)
            guard case .invalidImageShape? = formatError({ _ = try HeatMap().render(map) }) else {
                Issue.record("shape \(shape) was accepted")
                continue
            }
        }
    }

    @Test func labelsHaveThreeSignificantDigitsAtMost() {
        let cases: [(Double, String)] = [
            (0, "0"), (1, "1"), (0.25, "0.25"), (0.1, "0.1"), (0.123456, "0.123"),
            (0.0004, "0.0004"), (12.5, "12.5"), (-0.5, "-0.5"), (1e-9, "0"), (.nan, ""),
        ]
        for (value, text) in cases { #expect(HeatMap.label(value) == text, "\(value)") }
    }
}
