import Testing
@testable import StructuralSimilarity

/// ``SSIML1Loss``'s presets against their codebases' loss code run with torch in float64
/// (`Fixtures/ssim_l1.json`): the mean loss and its gradient with respect to the prediction, the
/// per-pixel loss (`.none`) and the gradients of a weighted sum of it with respect to both
/// images. Double within 1e-9 (gradients: of their largest magnitude), Float within 1e-5 / 1e-4.
@Suite struct SSIML1LossTests {
    static let cases = ssimL1Fixture.cases

    func check<Scalar: SSIMScalar>(_ c: SSIML1Case, _: Scalar.Type, value: Double, gradient: Double) throws {
        let (x, y, w) = c.tensors(Scalar.self)
        let criterion = c.criterion
        let loss = try criterion(x, y)
        #expect(loss.shape == [])
        #expect(abs(Double(loss.scalar) - c.loss) <= value, "loss")
        let (fused, lossGradient) = try criterion.valueWithGradient(x, y)
        #expect(fused.scalar == loss.scalar, "valueWithGradient's value is the forward's, bit for bit")
        #expect(maxAbsoluteDifference(lossGradient.scalars, c.lossGradX) <= gradient * maxMagnitude(c.lossGradX), "d loss / dx")
        var perPixel = criterion
        perPixel.reduction = .none
        let pixels = try perPixel(x, y)
        #expect(pixels.shape == x.shape)
        #expect(maxAbsoluteDifference(pixels.scalars, c.pixelLoss) <= value, "per-pixel loss")
        let plan = try PlanarPlan(
            x, y, options: perPixel.options, target: .loss(.none),
            mix: PhotometricMix(
                ssimWeight: Scalar(
                    perPixel.ssimTerm == .oneMinusSSIM ? 2 * perPixel.ssimWeight : perPixel.ssimWeight), l1Weight: Scalar(perPixel.l1Weight)))
        let g = plan.backward(x.scalars, y.scalars, seed: w, wantsY: true, wantsValues: false)
        #expect(maxAbsoluteDifference(g.dx, c.weightedGradX) <= gradient * maxMagnitude(c.weightedGradX), "d sum(w loss) / dx")
        #expect(maxAbsoluteDifference(g.dy, c.weightedGradY) <= gradient * maxMagnitude(c.weightedGradY), "d sum(w loss) / dy")
    }

    @Test("Double: each preset equals its codebase's loss in float64", arguments: cases)
    func double(_ c: SSIML1Case) throws { try check(c, Double.self, value: 1e-9, gradient: 1e-9) }

    @Test("Float: each preset within 1e-5 (value) and 1e-4 (gradient) of its codebase's float64 loss", arguments: cases)
    func float(_ c: SSIML1Case) throws { try check(c, Float.self, value: 1e-5, gradient: 1e-4) }

    @Test("The worst errors per preset, printed (the figures of the article)", arguments: ["gaussianSplatting", "monodepth2"])
    func summary(_ preset: String) throws {
        func worst<Scalar: SSIMScalar>(_: Scalar.Type) throws -> (value: Double, gradient: Double) {
            var result = (value: 0.0, gradient: 0.0)
            for c in Self.cases where c.preset == preset {
                let (x, y, _) = c.tensors(Scalar.self)
                let (value, gradient) = try c.criterion.valueWithGradient(x, y)
                var perPixel = c.criterion
                perPixel.reduction = .none
                result.value = max(result.value, abs(Double(value.scalar) - c.loss), maxAbsoluteDifference(try perPixel(x, y).scalars, c.pixelLoss))
                result.gradient = max(result.gradient, maxAbsoluteDifference(gradient.scalars, c.lossGradX) / maxMagnitude(c.lossGradX))
            }
            return result
        }
        let d = try worst(Double.self), f = try worst(Float.self)
        print("SSIML1Loss.\(preset): Double value \(d.value), gradient \(d.gradient) of max |g|; Float \(f.value), \(f.gradient)")
        #expect(d.value <= 1e-9 && f.value <= 1e-5)
    }

    #if canImport(_Differentiation)
    @Test(
        "Autodiff through the public callAsFunction equals torch autograd, both images (release builds)",
        .enabled(if: GradientTests.autodiffEnabled), arguments: cases)
    func autodiff(_ c: SSIML1Case) throws {
        let (x, y, w) = c.tensors(Double.self)
        var perPixel = c.criterion
        perPixel.reduction = .none
        let (gx, gy) = try autodiffPullbacks(perPixel, x, y, seed: w)
        #expect(maxAbsoluteDifference(gx, c.weightedGradX) <= 1e-9 * maxMagnitude(c.weightedGradX), "d/dx")
        #expect(maxAbsoluteDifference(gy, c.weightedGradY) <= 1e-9 * maxMagnitude(c.weightedGradY), "d/dy")
    }
    #endif

    @Test("The fused loss is the mix of its parts: SSIM loss and L1 computed apart", arguments: [Padding.same, .valid])
    func parts(_ padding: Padding) throws {
        let x: Tensor<Double> = randomTensor([2, 3, 20, 19], seed: 31), noise: Tensor<Double> = randomTensor([2, 3, 20, 19], seed: 32)
        let y = try Tensor(shape: x.shape, scalars: zip(x.scalars, noise.scalars).map { 0.6 * $0 + 0.4 * $1 })
        var options = SSIMOptions.kornia
        options.padding = padding
        let criterion = try SSIML1Loss(ssimWeight: 0.3, l1Weight: 0.7, ssimTerm: .dssim, options: options, reduction: .none)
        let fused = try criterion(x, y)
        let dssim = try ssimLoss(x, y, options: options, reduction: .none)
        let h = padding == .same ? 0 : 5
        var expected: [Double] = []
        for p in 0..<6 {
            for r in h..<(20 - h) {
                for c in h..<(19 - h) {
                    let i = (p * 20 + r) * 19 + c
                    expected.append(0.7 * abs(x.scalars[i] - y.scalars[i]))
                }
            }
        }
        let mixed = zip(dssim.scalars, expected).map { 0.3 * $0 + $1 }
        #expect(fused.shape == dssim.shape)
        #expect(maxAbsoluteDifference(fused.scalars, mixed) <= 1e-15)
        // The gradient of the sum against central differences, through the crop.
        var summed = criterion
        summed.reduction = .sum
        let (_, gradient) = try summed.valueWithGradient(x, y)
        for i in stride(from: 0, to: x.scalars.count, by: 37) {
            var plus = x.scalars, minus = x.scalars
            plus[i] += 1e-7; minus[i] -= 1e-7
            let numeric = (try summed(Tensor(shape: x.shape, scalars: plus), y).scalar - (try summed(Tensor(shape: x.shape, scalars: minus), y).scalar)) / 2e-7
            #expect(abs(numeric - gradient.scalars[i]) <= 1e-6, "element \(i)")
        }
    }

    @Test("Bad weights throw typed errors; the presets are what their codebases use")
    func settings() throws {
        #expect(throws: SSIMError.invalidLossWeight(name: "l1Weight", value: -1)) {
            try SSIML1Loss(ssimWeight: 0.2, l1Weight: -1, ssimTerm: .oneMinusSSIM, options: .kornia)
        }
        #expect(throws: SSIMError.invalidLossWeight(name: "lambda", value: 2)) { try SSIML1Loss.gaussianSplatting(lambda: 2) }
        var broken = SSIML1Loss.monodepth2
        broken.ssimWeight = .nan
        let x: Tensor<Float> = randomTensor([1, 1, 8, 8], seed: 1)
        #expect(throws: SSIMError.self) { try broken(x, x) }
        #expect(SSIML1Loss.gaussianSplatting.ssimWeight == 0.2 && SSIML1Loss.gaussianSplatting.l1Weight == 1 - 0.2)
        #expect(SSIML1Loss.gaussianSplatting.options.border == .zero && SSIML1Loss.gaussianSplatting.options.windowSize == 11)
        #expect(SSIML1Loss.monodepth2.options.window == .uniform && SSIML1Loss.monodepth2.options.windowSize == 3)
        #expect(SSIML1Loss.monodepth2.options.border == .reflect && SSIML1Loss.monodepth2.ssimTerm == .dssim)
    }
}

/// The pullbacks of `criterion` at `(x, y)` for `seed`, through automatic differentiation (empty
/// without `_Differentiation`; the test using it runs only where it exists, in release builds).
func autodiffPullbacks(_ criterion: SSIML1Loss, _ x: Tensor<Double>, _ y: Tensor<Double>, seed: Tensor<Double>) throws -> ([Double], [Double]) {
    #if canImport(_Differentiation)
    let (gx, gy) = try pullbacksOfEachImage(through: criterion, at: x, y, seed: seed)
    return (gx.scalars, gy.scalars)
    #else
    return ([], [])
    #endif
}
