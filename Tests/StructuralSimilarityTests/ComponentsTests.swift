import Testing
@testable import StructuralSimilarity

/// The SSIM components (``ssimComponents(_:_:options:)``) and MATLAB's general form
/// (``SSIMExponents``, ``SSIMRegularizationConstants``) against MATLAB's documented formula in
/// torch float64 (`Fixtures/components.json`): maps, gradients of a weighted sum with respect to
/// both images, and the clamped loss with its gradient; Double within 1e-9 (gradients: of their
/// largest magnitude), Float within 1e-5 and 1e-4.
@Suite struct ComponentsTests {
    static let cases = componentsFixture.cases

    func check<Scalar: SSIMScalar>(_ c: ComponentsCase, _: Scalar.Type, value: Double, gradient: Double) throws {
        let (x, y, w) = c.tensors(Scalar.self)
        let options = c.ssimOptions
        let map = try ssim(x, y, options: options)
        #expect(maxAbsoluteDifference(map.scalars, c.map) <= value, "map")
        let plan = try PlanarPlan(x, y, options: options, target: .map)
        let g = plan.backward(x.scalars, y.scalars, seed: w, wantsY: true, wantsValues: false)
        #expect(maxAbsoluteDifference(g.dx, c.gradX) <= gradient * maxMagnitude(c.gradX), "d/dx")
        #expect(maxAbsoluteDifference(g.dy, c.gradY) <= gradient * maxMagnitude(c.gradY), "d/dy")
        let (loss, lossGradient) = try ssimLossWithGradient(x, y, options: options, reduction: .mean)
        #expect(abs(Double(loss.scalar) - c.loss) <= value, "loss")
        #expect(maxAbsoluteDifference(lossGradient.scalars, c.lossGradX) <= gradient * maxMagnitude(c.lossGradX), "loss d/dx")
        let parts = try ssimComponents(x, y, options: options)
        for (name, got, want) in [
            ("luminance", parts.luminance, c.luminance), ("contrast", parts.contrast, c.contrast),
            ("structure", parts.structure, c.structure), ("contrastStructure", parts.contrastStructure, c.contrastStructure),
        ] {
            #expect(got.shape == map.shape, "\(name) shape")
            #expect(maxAbsoluteDifference(got.scalars, want) <= value, "\(name)")
        }
    }

    @Test("Double: maps, gradients, loss and components equal the float64 reference", arguments: cases)
    func double(_ c: ComponentsCase) throws { try check(c, Double.self, value: 1e-9, gradient: 1e-9) }

    @Test("Float: maps, gradients, loss and components within 1e-5 and 1e-4 of the float64 reference", arguments: cases)
    func float(_ c: ComponentsCase) throws { try check(c, Float.self, value: 1e-5, gradient: 1e-4) }

    @Test("The worst errors over the cases, printed (the figures of the article)", arguments: [false, true])
    func summary(_ inFloat: Bool) throws {
        func worst<Scalar: SSIMScalar>(_: Scalar.Type) throws -> (map: Double, gradient: Double, components: Double) {
            var result = (map: 0.0, gradient: 0.0, components: 0.0)
            for c in Self.cases {
                let (x, y, w) = c.tensors(Scalar.self)
                let plan = try PlanarPlan(x, y, options: c.ssimOptions, target: .map)
                let g = plan.backward(x.scalars, y.scalars, seed: w, wantsY: true, wantsValues: false)
                let parts = try ssimComponents(x, y, options: c.ssimOptions)
                result.map = max(result.map, maxAbsoluteDifference(try ssim(x, y, options: c.ssimOptions).scalars, c.map))
                result.gradient = max(
                    result.gradient, maxAbsoluteDifference(g.dx, c.gradX) / maxMagnitude(c.gradX), maxAbsoluteDifference(g.dy, c.gradY) / maxMagnitude(c.gradY))
                for (got, want) in [
                    (parts.luminance, c.luminance), (parts.contrast, c.contrast), (parts.structure, c.structure),
                    (parts.contrastStructure, c.contrastStructure),
                ] {
                    result.components = max(result.components, maxAbsoluteDifference(got.scalars, want))
                }
            }
            return result
        }
        let w = inFloat ? try worst(Float.self) : try worst(Double.self)
        print("General form and components, \(inFloat ? "Float" : "Double"): map \(w.map), gradient \(w.gradient) of max |g|, components \(w.components)")
        #expect(w.map <= (inFloat ? 1e-5 : 1e-9))
    }

    @Test("Exponents of 1 and C3 = C2 / 2 are the usual SSIM, bit for bit", arguments: SSIMConvention.allCases)
    func exponentsOfOne(_ convention: SSIMConvention) throws {
        let x: Tensor<Float> = randomTensor([1, 3, 20, 18], seed: 5), y: Tensor<Float> = randomTensor([1, 3, 20, 18], seed: 6)
        var options = convention.options
        options.dataRange = .value(1)
        var explicit = options
        explicit.exponents = SSIMExponents(alpha: 1, beta: 1, gamma: 1)
        explicit.regularizationConstants = SSIMRegularizationConstants(c1: options.k1 * options.k1, c2: options.k2 * options.k2)
        #expect(try ssim(x, y, options: explicit).scalars == (try ssim(x, y, options: options)).scalars)
        let (value, gradient) = try ssimLossWithGradient(x, y, options: explicit)
        let (usualValue, usualGradient) = try ssimLossWithGradient(x, y, options: options)
        #expect(value.scalar == usualValue.scalar)
        #expect(gradient.scalars == usualGradient.scalars)
    }

    @Test("The components multiply back to the SSIM map", arguments: [SSIMConvention.matlab, .kornia, .scikitImage])
    func product(_ convention: SSIMConvention) throws {
        let x: Tensor<Double> = randomTensor([2, 2, 17, 15], seed: 7), noise: Tensor<Double> = randomTensor([2, 2, 17, 15], seed: 8)
        let y = try Tensor(shape: x.shape, scalars: zip(x.scalars, noise.scalars).map { 0.8 * $0 + 0.2 * $1 })
        var options = convention.options
        options.eps = 0  // the components have no eps
        let map = try ssim(x, y, options: options).scalars
        let parts = try ssimComponents(x, y, options: options)
        let lcs = zip(zip(parts.luminance.scalars, parts.contrast.scalars), parts.structure.scalars).map { $0.0 * $0.1 * $1 }
        let lCS = zip(parts.luminance.scalars, parts.contrastStructure.scalars).map { $0 * $1 }
        #expect(maxAbsoluteDifference(lcs, map) <= 1e-13)
        #expect(maxAbsoluteDifference(lCS, map) <= 1e-14)
    }

    @Test("A component's gradient is the general form's with that exponent alone: finite differences")
    func componentGradient() throws {
        let x: Tensor<Double> = randomTensor([1, 1, 12, 11], seed: 9), y: Tensor<Double> = randomTensor([1, 1, 12, 11], seed: 10)
        for exponents in [SSIMExponents(alpha: 1, beta: 0, gamma: 0), SSIMExponents(alpha: 0, beta: 1, gamma: 0), SSIMExponents(alpha: 0, beta: 0, gamma: 1)] {
            var options = SSIMOptions.matlab
            options.exponents = exponents
            let (_, gradient) = try ssimLossWithGradient(x, y, options: options, reduction: .sum)
            func objective(_ p: [Double]) throws -> Double { try ssimLoss(Tensor(shape: x.shape, scalars: p), y, options: options, reduction: .sum).scalar }
            for i in stride(from: 0, to: x.scalars.count, by: 7) {
                var plus = x.scalars, minus = x.scalars
                plus[i] += 1e-6; minus[i] -= 1e-6
                let numeric = (try objective(plus) - (try objective(minus))) / 2e-6
                #expect(abs(numeric - gradient.scalars[i]) <= 1e-6, "\(exponents) element \(i)")
            }
        }
    }

    @Test("Bad exponents and constants throw typed errors")
    func validation() throws {
        let x: Tensor<Float> = randomTensor([1, 1, 12, 12], seed: 1)
        var options = SSIMOptions.matlab
        options.exponents = SSIMExponents(alpha: -1)
        #expect(throws: SSIMError.invalidExponent(name: "alpha", value: -1)) { try ssim(x, x, options: options) }
        options.exponents = SSIMExponents(gamma: .nan)
        #expect(throws: SSIMError.self) { try ssimComponents(x, x, options: options) }
        options.exponents = .one
        options.regularizationConstants = SSIMRegularizationConstants(c1: 1e-4, c2: 9e-4, c3: -1)
        #expect(throws: SSIMError.invalidRegularizationConstant(name: "C3", value: -1)) { try ssim(x, x, options: options) }
        #expect(SSIMError.invalidExponent(name: "beta", value: -2).description.contains("beta -2.0 must be finite and not negative"))
    }
}
