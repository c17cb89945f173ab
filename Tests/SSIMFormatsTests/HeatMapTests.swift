import Testing
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
