import Testing
@testable import StructuralSimilarity

/// Parity of the SSIM map with Kornia 0.9.0 (`kornia.metrics.ssim`), from the golden fixtures.
@Suite struct SSIMTests {
    @Test("Double map within 1e-10 of Kornia float64 (1e-6 on offset data)", arguments: KorniaFixtures.cases)
    func doubleMapParity(_ c: KorniaCase) throws {
        let (x, y) = try c.images(Double.self)
        let map = try ssim(x, y, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, padding: c.paddingOption)
        #expect(map.shape == c.outputShape)
        let error = maxAbsoluteDifference(map.scalars, c.float64.map)
        #expect(error <= (c.isOffset ? 1e-6 : 1e-10), "max |error| \(error)")
    }

    @Test("Float map within 1e-5 of Kornia float64, and no further from it than Kornia float32", arguments: KorniaFixtures.cases)
    func floatMapParity(_ c: KorniaCase) throws {
        let (x, y) = try c.images(Float.self)
        let map = try ssim(x, y, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps), padding: c.paddingOption)
        #expect(map.shape == c.outputShape)
        let error = maxAbsoluteDifference(map.scalars, c.float64.map)
        let korniaError = maxAbsoluteDifference(c.float32.map, c.float64.map)
        if !c.isOffset { #expect(error <= 1e-5, "max |error| \(error)") }
        if c.isHard { #expect(error <= max(korniaError, floatRoundingFloor), "ours \(error), Kornia float32 \(korniaError)") }
    }

    @Test func theModuleEqualsTheFunction() throws {
        let x: Tensor<Float> = randomTensor([2, 3, 16, 17], seed: 1)
        let y: Tensor<Float> = randomTensor([2, 3, 16, 17], seed: 2)
        let metric = try SSIM(windowSize: 7, maxValue: 2, eps: 1e-4, padding: .valid)
        #expect(try metric(x, y) == (try ssim(x, y, windowSize: 7, maxValue: 2, eps: 1e-4, padding: .valid)))
    }

    @Test func theMapIsSymmetric() throws {
        let x: Tensor<Double> = randomTensor([1, 2, 12, 9], seed: 3)
        let y: Tensor<Double> = randomTensor([1, 2, 12, 9], seed: 4)
        let forward = try ssim(x, y, windowSize: 5), backward = try ssim(y, x, windowSize: 5)
        #expect(maxAbsoluteDifference(forward.scalars, backward.scalars) <= 1e-15)
    }

    @Test func identicalBlackImagesScoreJustBelowOne() throws {
        // SPEC: eps in the denominator makes black images score 0.99998889 at max_val 1.
        let black = try Tensor<Double>(shape: [1, 1, 8, 8], repeating: 0)
        let map = try ssim(black, black, windowSize: 11)
        #expect(map.scalars.allSatisfy { abs($0 - 1 / (1 + 1e-12 / (1e-4 * 9e-4))) < 1e-12 })
        #expect(abs(map.scalars[0] - 0.99998889) < 1e-8)
    }

    @Test func hugeRangesGiveTheSSIMOfTheScaledImages() throws {
        // SSIM(x L, y L; maxValue L) = SSIM(x, y; maxValue 1) (with eps scaled by L^4). Kornia's
        // raw-unit constants overflow here (C1 = (0.01 L)^2 = 1e56 in Float); ours stay finite.
        let x: Tensor<Float> = randomTensor([1, 2, 20, 17], seed: 51)
        let y: Tensor<Float> = randomTensor([1, 2, 20, 17], seed: 52)
        let unit = try ssim(x, y, windowSize: 7, eps: 0)
        let scale: Float = 1e30
        let big = try ssim(
            Tensor(shape: x.shape, scalars: x.scalars.map { $0 * scale }),
            Tensor(shape: y.shape, scalars: y.scalars.map { $0 * scale }),
            windowSize: 7, maxValue: scale, eps: 0)
        #expect(big.scalars.allSatisfy { $0.isFinite })
        #expect(maxAbsoluteDifference(big.scalars, unit.scalars) <= 1e-5)
        let (_, gradient) = try ssimLossWithGradient(
            Tensor(shape: x.shape, scalars: x.scalars.map { Double($0) * 1e200 }),
            Tensor(shape: y.shape, scalars: y.scalars.map { Double($0) * 1e200 }), windowSize: 7, maxValue: 1e200, eps: 0)
        let (_, unitGradient) = try ssimLossWithGradient(
            Tensor(shape: x.shape, scalars: x.scalars.map(Double.init)), Tensor(shape: y.shape, scalars: y.scalars.map(Double.init)),
            windowSize: 7, eps: 0)
        // d/d(x L) = (1/L) d/dx.
        #expect(maxAbsoluteDifference(gradient.scalars.map { $0 * 1e200 }, unitGradient.scalars) <= 1e-12)
    }

    @Test func nanPixelsPropagateToTheWindowsThatSeeThem() throws {
        var values = [Double](repeating: 0.5, count: 64)
        values[0] = .nan
        let x = try Tensor(shape: [1, 1, 8, 8], scalars: values)
        let y = try Tensor<Double>(shape: [1, 1, 8, 8], repeating: 0.25)
        let map = try ssim(x, y, windowSize: 3)
        #expect(map.scalars[0].isNaN && map.scalars[9].isNaN)  // (0,0) and (1,1) see pixel (0,0)
        #expect(!map.scalars[63].isNaN)  // (7,7) does not
    }

    @Test func tallImagesSplitIntoBandsGiveTheMapOfTheirCrops() throws {
        // 150 rows span two bands of rowsPerBand (128); with `valid` each map row depends only on
        // the rows its window covers, so a crop's map must equal the matching rows of the whole.
        let shape = [1, 1, 150, 23]
        let x: Tensor<Double> = randomTensor(shape, seed: 5)
        let y: Tensor<Double> = randomTensor(shape, seed: 6)
        let whole = try ssim(x, y, windowSize: 11, padding: .valid)  // rows 5..<145, 13 columns
        for top in [50, 110, 120] {
            let rows = top..<(top + 20)
            let crop = { (t: Tensor<Double>) in
                try Tensor(shape: [1, 1, 20, 23], scalars: Array(t.scalars[(rows.lowerBound * 23)..<(rows.upperBound * 23)]))
            }
            let part = try ssim(try crop(x), try crop(y), windowSize: 11, padding: .valid)  // rows top+5 ..< top+15
            let matching = Array(whole.scalars[(top * 13)..<((top + 10) * 13)])
            #expect(maxAbsoluteDifference(part.scalars, matching) <= 1e-13, "crop at row \(top)")
        }
    }
}

/// A few float32 ulps of 1: the floor below which "no further than Kornia float32" is noise.
let floatRoundingFloor = 4 * Double(Float.ulpOfOne)
