import Testing
@testable import StructuralSimilarity
#if canImport(_Differentiation)
import _Differentiation
#endif

/// `MSSSIMLoss` against Kornia 0.9.0's `MS_SSIMLoss` (golden values from
/// `Scripts/make_msssim_fixtures.py`), against central finite differences, and its typed errors.
@Suite struct MSSSIMLossTests {
    @Test("Double within 1e-9 relative of Kornia float64 (float32-rounded masks)", arguments: MSSSIMFixtures.cases)
    func doubleParity(_ c: MSSSIMCase) throws {
        let (x, y) = try c.images(Double.self)
        let loss = try c.criterion()(x, y)
        #expect(loss.shape == (c.reductionOption == .none ? c.outputShape : []))
        let error = maxRelativeDifference(loss.scalars, c.float64.loss)
        #expect(error <= 1e-9, "max relative error \(error)")
    }

    @Test("Double with exact masks within 1e-9 relative of Kornia with float64 masks", arguments: MSSSIMFixtures.cases)
    func exactMasksParity(_ c: MSSSIMCase) throws {
        let (x, y) = try c.images(Double.self)
        let loss = try c.criterion(masks: .exact)(x, y)
        let error = maxRelativeDifference(loss.scalars, c.exactMasks.loss)
        #expect(error <= 1e-9, "max relative error \(error)")
    }

    @Test("Float within 1e-5 relative of Kornia float64", arguments: MSSSIMFixtures.cases)
    func floatParity(_ c: MSSSIMCase) throws {
        let (x, y) = try c.images(Float.self)
        let loss = try c.criterion()(x, y)
        let error = maxRelativeDifference(loss.scalars, c.float64.loss)
        #expect(error <= 1e-5, "max relative error \(error); Kornia float32: \(maxRelativeDifference(c.float32.loss, c.float64.loss))")
    }

    @Test("Double gradients within 1e-9 of max |torch gradient|, both images", arguments: MSSSIMFixtures.cases)
    func doubleGradients(_ c: MSSSIMCase) throws {
        let (x, y) = try c.images(Double.self)
        let criterion = try c.criterion()
        let (value, gradient) = try criterion.valueWithGradient(x, y)
        // The backward recomputes the loss from its own bands: equal up to rounding.
        #expect(maxRelativeDifference(value.scalars, try criterion(x, y).scalars.map { Double($0) }) <= 1e-13)
        #expect(gradient.shape == c.shape1)
        let scale = maxMagnitude(c.float64.grad1)
        #expect(maxAbsoluteDifference(gradient.scalars, c.float64.grad1) <= 1e-9 * scale)
        // The second image's gradient, through the backward the derivative registers.
        let plan = try MultiScalePlan<Double>(x.shape, y.shape, criterion)
        let seed = try backwardSeed(c.reductionOption, outputShape: c.outputShape)
        let gradients = plan.backward(x.scalars, y.scalars, seed: seed, wantsY: true, wantsValues: false)
        let g1 = Tensor(uncheckedShape: x.shape, scalars: gradients.dx), g2 = Tensor(uncheckedShape: y.shape, scalars: gradients.dy)
        #expect(g1 == gradient)
        let reference2 = c.float64.grad2!
        #expect(maxAbsoluteDifference(g2.scalars, reference2) <= 1e-9 * maxMagnitude(reference2))
    }

    @Test("Float gradients within 1e-4 of max |torch float64 gradient|", arguments: MSSSIMFixtures.cases)
    func floatGradients(_ c: MSSSIMCase) throws {
        let (x, y) = try c.images(Float.self)
        let (_, gradient) = try c.criterion().valueWithGradient(x, y)
        let scale = maxMagnitude(c.float64.grad1)
        let error = maxAbsoluteDifference(gradient.scalars, c.float64.grad1)
        #expect(error <= 1e-4 * scale, "max |error| \(error), max |gradient| \(scale)")
    }

    @Test(
        "Finite differences agree with the backward",
        arguments: [
            ([1, 2, 6, 7], [1, 2, 6, 7], [0.5, 1.0], Reduction.mean, MSSSIMMasks.kornia),
            ([2, 1, 5, 9], [1, 1, 5, 9], [1.0, 2.0], .none, .exact),
            ([1, 1, 4, 4], [3, 1, 4, 4], [0.5, 1.5], .sum, .kornia),
        ])
    func finiteDifferences(shape1: [Int], shape2: [Int], sigmas: [Double], reduction: Reduction, masks: MSSSIMMasks) throws {
        let x: Tensor<Double> = randomTensor(shape1, seed: 61)
        let y: Tensor<Double> = randomTensor(shape2, seed: 62)
        let criterion = try MSSSIMLoss(sigmas: sigmas, alpha: 0.5, compensation: 2, reduction: reduction, masks: masks)
        let (_, gradient) = try criterion.valueWithGradient(x, y)
        func objective(_ p: [Double]) throws -> Double {
            try criterion(try Tensor(shape: shape1, scalars: p), y).scalars.reduce(0, +)
        }
        let h = 1e-6
        for i in 0..<x.scalars.count {
            var plus = x.scalars, minus = x.scalars
            plus[i] += h; minus[i] -= h
            let numeric = (try objective(plus) - objective(minus)) / (2 * h)
            #expect(abs(numeric - gradient.scalars[i]) <= 1e-7, "element \(i): numeric \(numeric), backward \(gradient.scalars[i])")
        }
    }

    @Test func resultsDoNotDependOnTheBandSplit() throws {
        // 150 rows: three bands; the same rows computed as one image per band must agree with
        // the whole image's bands (no band reads beyond its halo), checked via a flipped image.
        let x: Tensor<Float> = randomTensor([1, 2, 150, 20], seed: 71)
        let y: Tensor<Float> = randomTensor([1, 2, 150, 20], seed: 72)
        let criterion = try MSSSIMLoss(sigmas: [1, 2], reduction: .none)
        let map = try criterion(x, y)
        let flipped = { (t: Tensor<Float>) -> Tensor<Float> in
            var s: [Float] = []; s.reserveCapacity(t.scalars.count)
            for c in 0..<2 { for r in (0..<150).reversed() { s += t.scalars[(c * 150 + r) * 20..<(c * 150 + r + 1) * 20] } }
            return try! Tensor(shape: t.shape, scalars: s)
        }
        let mapOfFlipped = try criterion(flipped(x), flipped(y))
        for r in 0..<150 {
            for col in 0..<20 {
                let a = map.scalars[r * 20 + col], b = mapOfFlipped.scalars[(149 - r) * 20 + col]
                #expect(abs(a - b) <= 1e-5 * abs(a), "row \(r) column \(col)")
            }
        }
    }

    @Test func concurrentCallsEqualSerialCalls() throws {
        let inputs = (0..<4).map { i -> (Tensor<Float>, Tensor<Float>) in
            (randomTensor([1, 2, 30 + i, 17], seed: UInt64(80 + i)), randomTensor([1, 2, 30 + i, 17], seed: UInt64(90 + i)))
        }
        let criterion = try MSSSIMLoss(sigmas: [1, 2], reduction: .none)
        func compute(_ pair: (Tensor<Float>, Tensor<Float>)) throws -> [Float] {
            let (value, gradient) = try criterion.valueWithGradient(pair.0, pair.1)
            return try criterion(pair.0, pair.1).scalars + value.scalars + gradient.scalars
        }
        let serial = try inputs.map(compute)
        let concurrent = concurrentResults(inputs, compute)
        for i in 0..<4 { #expect(concurrent[i] == serial[i], "call \(i)") }
    }

    @Test func identicalImagesLoseNothing() throws {
        let x: Tensor<Float> = randomTensor([2, 3, 20, 20], seed: 73)
        let loss = try MSSSIMLoss(reduction: .none)(x, x)
        #expect(loss.scalars.allSatisfy { $0 == 0 })
        let (_, gradient) = try MSSSIMLoss().valueWithGradient(x, x)
        #expect(gradient.scalars.allSatisfy { $0 == 0 })
    }

    @Test func invalidOptionsThrowTypedErrors() {
        #expect(throws: SSIMError.invalidSigmas([])) { try MSSSIMLoss(sigmas: []) }
        #expect(throws: SSIMError.invalidSigmas([1, 0])) { try MSSSIMLoss(sigmas: [1, 0]) }
        #expect(throws: SSIMError.invalidSigmas([-1])) { try MSSSIMLoss(sigmas: [-1]) }
        #expect(throws: SSIMError.self) { try MSSSIMLoss(sigmas: [.nan]) }  // NaN != NaN: the type only
        #expect(throws: SSIMError.invalidSigmas([.infinity])) { try MSSSIMLoss(sigmas: [.infinity]) }
        #expect(throws: SSIMError.invalidSigmas([100])) { try MSSSIMLoss(sigmas: [100]) }
        #expect(throws: SSIMError.invalidAlpha(1.5)) { try MSSSIMLoss(alpha: 1.5) }
        #expect(throws: SSIMError.invalidAlpha(-0.1)) { try MSSSIMLoss(alpha: -0.1) }
        #expect(throws: SSIMError.self) { try MSSSIMLoss(alpha: .nan) }
        #expect(throws: SSIMError.invalidCompensation(.infinity)) { try MSSSIMLoss(compensation: .infinity) }
        #expect(throws: SSIMError.self) { try MSSSIMLoss(dataRange: 0) }
        #expect(throws: SSIMError.self) { try MSSSIMLoss(dataRange: .nan) }
        #expect(throws: SSIMError.self) { try MSSSIMLoss(k: (.nan, 0.03)) }
        #expect(SSIMError.invalidAlpha(1.5).description.contains("[0, 1]"))
        #expect(SSIMError.invalidSigmas([]).description.contains("non-empty"))
    }

    @Test func invalidShapesThrowTypedErrors() throws {
        let criterion = try MSSSIMLoss()
        func images(_ a: [Int], _ b: [Int]) -> (Tensor<Float>, Tensor<Float>) {
            (try! Tensor(shape: a, repeating: 0.5), try! Tensor(shape: b, repeating: 0.5))
        }
        let cases: [([Int], [Int], SSIMError)] = [
            ([1, 3, 8], [1, 3, 8, 8], .rankMismatch(argument: "the first image", shape: [1, 3, 8], expected: 4)),
            ([1, 3, 8, 8], [1, 1, 3, 8, 8], .rankMismatch(argument: "the second image", shape: [1, 1, 3, 8, 8], expected: 4)),
            ([2, 3, 8, 8], [3, 3, 8, 8], .unbroadcastableShapes([2, 3, 8, 8], [3, 3, 8, 8])),
            ([1, 3, 8, 8], [1, 1, 8, 8], .unbroadcastableShapes([1, 3, 8, 8], [1, 1, 8, 8])),
            ([1, 3, 8, 8], [1, 3, 8, 9], .unbroadcastableShapes([1, 3, 8, 8], [1, 3, 8, 9])),
            ([1, 3, 0, 8], [1, 3, 0, 8], .emptyInput(argument: "the first image", shape: [1, 3, 0, 8])),
            ([1, 3, 8, 8], [0, 3, 8, 8], .emptyInput(argument: "the second image", shape: [0, 3, 8, 8])),
        ]
        for (a, b, expected) in cases {
            let (x, y) = images(a, b)
            #expect(throws: expected) { try criterion(x, y) }
            #expect(throws: expected) { try criterion.valueWithGradient(x, y) }
        }
    }

    @Test("Kornia's float32 1-D windows, bit for bit", arguments: MSSSIMFixtures.cases)
    func korniaWindows(_ c: MSSSIMCase) {
        let size = 2 * Int(2 * c.sigmas.last!) + 1
        for (sigma, reference) in zip(c.sigmas, c.korniaWindows) {
            #expect(korniaWindow(size: size, sigma: sigma) == reference.map { Float($0) }, "sigma \(sigma)")
        }
    }

}

/// The MS-SSIM figures over all golden cases, printed for the record (the per-case tests hold
/// each case to its bar; this checks the worst of each figure against the same bars).
@Suite struct MSSSIMParitySummaryTests {
    @Test func worstErrorsOverAllCases() throws {
        var double = 0.0, exact = 0.0, float = 0.0, korniaFloat = 0.0, masksApart = 0.0
        var gradDouble = 0.0, gradFloat = 0.0, korniaGradFloat = 0.0
        for c in MSSSIMFixtures.cases {
            let (xd, yd) = try c.images(Double.self)
            let (xf, yf) = try c.images(Float.self)
            let criterion = try c.criterion()
            double = max(double, maxRelativeDifference(try criterion(xd, yd).scalars, c.float64.loss))
            exact = max(exact, maxRelativeDifference(try c.criterion(masks: .exact)(xd, yd).scalars, c.exactMasks.loss))
            float = max(float, maxRelativeDifference(try criterion(xf, yf).scalars, c.float64.loss))
            korniaFloat = max(korniaFloat, maxRelativeDifference(c.float32.loss, c.float64.loss))
            masksApart = max(masksApart, maxRelativeDifference(c.exactMasks.loss, c.float64.loss))
            let scale = maxMagnitude(c.float64.grad1)
            gradDouble = max(gradDouble, maxAbsoluteDifference(try criterion.valueWithGradient(xd, yd).gradient.scalars, c.float64.grad1) / scale)
            gradFloat = max(gradFloat, maxAbsoluteDifference(try criterion.valueWithGradient(xf, yf).gradient.scalars, c.float64.grad1) / scale)
            korniaGradFloat = max(korniaGradFloat, maxAbsoluteDifference(c.float32.grad1, c.float64.grad1) / scale)
        }
        print(
            "MS-SSIM parity over \(MSSSIMFixtures.cases.count) golden cases (relative to Kornia float64): Double \(double), "
                + "Double exact masks vs Kornia with float64 masks \(exact), Float \(float) (Kornia float32 \(korniaFloat)), "
                + "Kornia float64 with exact vs float32 masks \(masksApart); gradients (of max |g|): Double \(gradDouble), "
                + "Float \(gradFloat) (Kornia float32 \(korniaGradFloat))")
        #expect(double <= 1e-9 && exact <= 1e-9 && float <= 1e-5 && gradDouble <= 1e-9 && gradFloat <= 1e-4)
    }
}
