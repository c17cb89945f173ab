import Foundation
@testable import SSIMFormats
import StructuralSimilarity
import Testing

/// `LocalSSIMMap`, `SSIMStatistics` and `DifferenceOverlay` on hand-made maps.
@Suite struct DifferenceOverlayTests {
    @Test func localMapTakesTheLowestChannel() throws {
        let map = try Tensor<Float>(shape: [1, 3, 1, 2], scalars: [1, 0.5, 0.9, 0.8, 0.7, 1])
        let local = try LocalSSIMMap(map)
        #expect(local.values == [Double(Float(0.7)), 0.5])
        #expect(local.fraction(below: 0.6) == 0.5)
        let nan = try LocalSSIMMap(try Tensor<Float>(shape: [1, 2, 1, 1], scalars: [.nan, 1]))
        #expect(nan.values[0].isNaN && nan.fraction(below: -1) == 1)
        #expect(throws: FormatError.self) { try LocalSSIMMap(try Tensor<Float>(shape: [3, 3], repeating: 1)) }
    }

    @Test func statistics() throws {
        // 100 positions: 0.00, 0.01, ..., 0.99 in a 10 x 10 map, the lowest at (3, 4).
        var values = (0..<100).map { Double($0) / 100 }
        values.swapAt(0, 43)
        let map = try Tensor<Double>(shape: [1, 1, 10, 10], scalars: values)
        let x = try Tensor<Double>(shape: [1, 1, 10, 10], repeating: 0.5)
        let y = try Tensor<Double>(shape: [1, 1, 10, 10], repeating: 0.4)
        let s = try SSIMStatistics(map: map, x, y, dataRange: 1)
        #expect(s.minimum == 0 && s.worst == .init(image: 0, x: 3, y: 4, ssim: 0))
        #expect(abs(s.p1 - 0.0099) < 1e-12 && abs(s.p5 - 0.0495) < 1e-12 && abs(s.p50 - 0.495) < 1e-12)
        #expect(abs(s.mse - 0.01) < 1e-15 && abs(s.psnr - 20) < 1e-9)
        #expect(try SSIMStatistics(map: map, x, x, dataRange: 1).psnr == .infinity)
        #expect(abs(try SSIMStatistics(map: map, x, y, dataRange: 255).mse - 0.01 / 65025) < 1e-18)
        #expect(SSIMStatistics.percentile([0, 1, 2, 3, 4], 50) == 2 && SSIMStatistics.percentile([0, 1], 25) == 0.25)
        for value in [1e-9, 0.3, 1, 7, 1234.5] {
            #expect(abs(SSIMStatistics.log10(value) - Foundation.log10(value)) < 1e-13)
        }
    }

    @Test func regionsJoinCloseDifferencesAndSeparateFarOnes() throws {
        var values = [Double](repeating: 1, count: 40 * 30)
        for (x, y) in [(5, 5), (8, 6), (30, 20), (31, 21)] { values[y * 40 + x] = 0.2 }
        values[21 * 40 + 31] = 0.1
        let local = try LocalSSIMMap(count: 1, height: 30, width: 40, values: values)
        let regions = DifferenceOverlay(threshold: 0.9, mergeDistance: 4).regions(in: local)
        #expect(
            regions == [
                DifferenceRegion(x: 30, y: 20, width: 2, height: 2, count: 2, minimumSSIM: 0.1, worstX: 31, worstY: 21),
                DifferenceRegion(x: 5, y: 5, width: 4, height: 2, count: 2, minimumSSIM: 0.2, worstX: 5, worstY: 5),
            ])
        #expect(DifferenceOverlay(threshold: 0.9, mergeDistance: 0).regions(in: local).count == 3)  // (30, 20) and (31, 21) touch
        #expect(DifferenceOverlay(threshold: 0.05).regions(in: local).isEmpty)
    }

    @Test func overlayFadesTheReferenceAndBoxesTheRegions() throws {
        var values = [Double](repeating: 1, count: 40 * 30)
        values[15 * 40 + 20] = 0.3
        let local = try LocalSSIMMap(count: 1, height: 30, width: 40, values: values)
        let reference = try Tensor<Float>(shape: [1, 1, 30, 40], repeating: 0)  // black
        let image = try DifferenceOverlay().render(reference: reference, map: local)
        #expect(image.width == 40 && image.height == 30)
        #expect(image[0, 0] == (166, 166, 166))  // black faded to 35 % contrast
        let tinted = image[20, 15]
        #expect(tinted.0 > 180 && tinted.1 < 110)  // the differing position, red
        #expect(image[18, 15] == (220, 20, 20) && image[22, 15] == (220, 20, 20))  // the box around it
        // A smaller map (padding valid) is centred on the image.
        let valid = try LocalSSIMMap(count: 1, height: 20, width: 30, values: [Double](repeating: 0, count: 600))
        let centred = try DifferenceOverlay().render(reference: reference, map: valid)
        #expect(centred[2, 2] == (166, 166, 166) && centred[20, 15].1 < 110)
        #expect(throws: FormatError.self) {
            try DifferenceOverlay().render(reference: try Tensor<Float>(shape: [1, 1, 10, 10], repeating: 0), map: local)
        }
    }
}
