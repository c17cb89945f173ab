import Testing
@testable import StructuralSimilarity

/// Parity of the SSIM loss with Kornia 0.9.0 (`kornia.losses.ssim_loss`), from the golden fixtures.
@Suite struct SSIMLossTests {
    @Test("Double loss: elements within 1e-10, reduced within 1e-10 relative (1e-6 offset)", arguments: KorniaFixtures.cases)
    func doubleLossParity(_ c: KorniaCase) throws {
        let (x, y) = try c.images(Double.self)
        let loss = try ssimLoss(
            x, y, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps,
            reduction: c.reductionOption, padding: c.paddingOption)
        let bound = c.isOffset ? 1e-6 : 1e-10
        if c.reductionOption == .none {
            #expect(loss.shape == c.outputShape)
            #expect(maxAbsoluteDifference(loss.scalars, c.float64.loss) <= bound)
        } else {
            #expect(loss.shape == [])
            let reference = c.float64.loss[0]
            // Kornia rounds each element's 1 - SSIM in float64 (an absolute 1.1e-16 each); on
            // identical images, whose loss is ~1e-9 per element, that rounding is the bar.
            let referenceRounding = Double(c.reductionOption == .sum ? c.outputShape.reduce(1, *) : 1) * Double.ulpOfOne
            #expect(abs(loss.scalar - reference) <= bound * abs(reference) + referenceRounding, "\(loss.scalar) vs \(reference)")
        }
    }

    @Test("Float loss within 1e-5 of Kornia float64, no further than Kornia float32 on hard data", arguments: KorniaFixtures.cases)
    func floatLossParity(_ c: KorniaCase) throws {
        let (x, y) = try c.images(Float.self)
        let loss = try ssimLoss(
            x, y, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps),
            reduction: c.reductionOption, padding: c.paddingOption)
        // Relative for sums (they grow with the element count), absolute for means and maps.
        let scale = c.reductionOption == .sum ? max(1, abs(c.float64.loss[0])) : 1
        let error = maxAbsoluteDifference(loss.scalars, c.float64.loss) / scale
        let korniaError = maxAbsoluteDifference(c.float32.loss, c.float64.loss) / scale
        if !c.isOffset { #expect(error <= 1e-5, "\(error)") }
        if c.isHard { #expect(error <= max(korniaError, floatRoundingFloor), "ours \(error), Kornia float32 \(korniaError)") }
    }

    @Test func identicalImagesLoseOnlyEps() throws {
        // (1 - SSIM) / 2 = eps / (2 (C D + eps)) exactly when both images are the same.
        let x: Tensor<Float> = randomTensor([1, 2, 16, 16], seed: 12)
        let loss = try ssimLoss(x, x, windowSize: 11, eps: 1e-6, reduction: .none)
        #expect(loss.scalars.allSatisfy { $0 > 0 && $0 < 1e-6 / (2 * 1e-4 * 9e-4) })
        let black = try Tensor<Double>(shape: [1, 1, 12, 12], repeating: 0)
        let blackLoss = try ssimLoss(black, black, windowSize: 11).scalar
        #expect(abs(blackLoss - 5.5555e-6) < 1e-9)  // SPEC: 5.56e-6
    }

    @Test func theModuleEqualsTheFunction() throws {
        let x: Tensor<Double> = randomTensor([1, 3, 20, 21], seed: 7)
        let y: Tensor<Double> = randomTensor([1, 3, 20, 21], seed: 8)
        for reduction in Reduction.allCases {
            let criterion = try SSIMLoss(windowSize: 11, reduction: reduction)
            #expect(try criterion(x, y) == (try ssimLoss(x, y, windowSize: 11, reduction: reduction)))
        }
    }

    @Test func reductionsAgreeWithTheLossMap() throws {
        let x: Tensor<Double> = randomTensor([2, 2, 15, 13], seed: 9)
        let y: Tensor<Double> = randomTensor([2, 2, 15, 13], seed: 10)
        let map = try ssimLoss(x, y, windowSize: 5, reduction: .none, padding: .valid)
        let sum = try ssimLoss(x, y, windowSize: 5, reduction: .sum, padding: .valid).scalar
        let mean = try ssimLoss(x, y, windowSize: 5, reduction: .mean, padding: .valid).scalar
        let expected = map.scalars.reduce(0, +)
        #expect(abs(sum - expected) <= 1e-12 * expected)
        #expect(abs(mean - expected / Double(map.scalars.count)) <= 1e-15)
    }

    @Test func theLossIsTheClampedDissimilarity() throws {
        let x: Tensor<Double> = randomTensor([1, 1, 9, 9], seed: 11)
        let y = try Tensor(shape: x.shape, scalars: x.scalars.map { 1 - $0 })
        let map = try ssim(x, y, windowSize: 3)
        let loss = try ssimLoss(x, y, windowSize: 3, reduction: .none)
        // The loss is computed as (C dB + dA B + eps) / (2 (C D + eps)), equal to (1 - SSIM) / 2
        // up to rounding.
        for (s, l) in zip(map.scalars, loss.scalars) {
            #expect(abs(l - min(max((1 - s) / 2, 0), 1)) <= 1e-15)
        }
    }
}
