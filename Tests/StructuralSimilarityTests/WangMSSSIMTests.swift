import Testing
@testable import StructuralSimilarity
#if canImport(_Differentiation)
import _Differentiation
#endif

/// Wang's multi-scale SSIM (``multiScaleSSIM(_:_:options:)``) against the peers' float64 results,
/// torch autograd and central finite differences (`Fixtures/wang_msssim.json`, written by
/// `Scripts/make_wang_msssim_fixtures.py` with pytorch-msssim 1.0.0, torchmetrics 1.9.0, piq 0.8.0
/// and tensorflow-cpu 2.21.0), and its errors.
@Suite struct WangMSSSIMTests {
    @Test("the fixture's images decode to the sums the script wrote")
    func inputsDecode() {
        let file = WangMSSSIMFile.shared
        for id in file.inputs.map(\.id) + file.generatedInputs.map(\.id) {
            let (_, x, y, sums) = file.images(id)
            #expect(abs(x.reduce(0, +) - sums.0) <= 1e-9 * abs(sums.0), "\(id) x")
            #expect(abs(y.reduce(0, +) - sums.1) <= 1e-9 * abs(sums.1), "\(id) y")
        }
    }

    @Test("Double within 1e-7 of the peer's float64 (NaN where it is NaN)", arguments: WangMSSSIMCase.valued)
    func doubleParity(_ c: WangMSSSIMCase) throws {
        let (x, y) = try c.images(Double.self)
        let value = try multiScaleSSIM(x, y, options: c.multiScaleOptions)
        #expect(value.shape == [x.shape[0]])
        let error = maxAbsoluteDifference(value.scalars, c.expected)
        #expect(error <= 1e-7, "max |difference| \(error): \(value.scalars) against \(c.expected)")
    }

    @Test("Float within 1e-5 of the peer's float64", arguments: WangMSSSIMCase.valued)
    func floatParity(_ c: WangMSSSIMCase) throws {
        let (x, y) = try c.images(Float.self)
        let value = try multiScaleSSIM(x, y, options: c.multiScaleOptions)
        let error = maxAbsoluteDifference(value.scalars, c.expected)
        let peer = c.peerFloat32.map { maxAbsoluteDifference($0, c.expected) }
        #expect(error <= 1e-5, "max |difference| \(error) (the peer's own float32: \(peer.map { "\($0)" } ?? "none"))")
    }

    /// The gradient of `sum_b MS-SSIM_b` with respect to one image, from the loss's gradient
    /// (`1 - MS-SSIM`, `.sum`); with respect to the second image by symmetry (MS-SSIM(x, y) =
    /// MS-SSIM(y, x) under every preset), swapping the arguments.
    func sumGradient<Scalar: SSIMScalar>(_ c: WangMSSSIMCase, _: Scalar.Type, ofSecond: Bool = false, reduction: Reduction = .sum) throws -> [Double] {
        let (x, y) = try c.images(Scalar.self)
        let (_, gradient) = try multiScaleSSIMLossWithGradient(ofSecond ? y : x, ofSecond ? x : y, options: c.multiScaleOptions, reduction: reduction)
        return gradient.scalars.map { -Double($0) }
    }

    /// Checks a gradient against torch's samples and checksums: within `tolerance` of max |g|
    /// at the samples, and the checksums within `tolerance` of their scale.
    func expectGradient(_ g: [Double], _ reference: WangMSSSIMCase.Gradient, pixels: [Int], input: [Double], tolerance: Double, _ label: String) {
        // A NaN MS-SSIM (a negative term under no clamping) has NaN gradients: so must ours.
        guard !reference.maxAbs.isNaN else {
            #expect(pixels.allSatisfy { g[$0].isNaN == reference.samples[pixels.firstIndex(of: $0)!].isNaN }, "\(label): NaN where torch's is")
            return
        }
        let scale = max(reference.maxAbs, 1e-300)
        let samples = maxAbsoluteDifference(pixels.map { g[$0] }, reference.samples)
        #expect(samples <= tolerance * scale, "\(label): samples off by \(samples / scale) of max |g|")
        #expect(abs(maxMagnitude(g) - reference.maxAbs) <= tolerance * scale, "\(label): max |g| \(maxMagnitude(g)) against \(reference.maxAbs)")
        let sumAbs = g.reduce(0) { $0 + abs($1) }
        #expect(abs(sumAbs - reference.sumAbs) <= tolerance * max(reference.sumAbs, 1e-300), "\(label): sum |g|")
        #expect(abs(g.reduce(0, +) - reference.sum) <= tolerance * max(reference.sumAbs, 1e-300), "\(label): sum g")
        let dot = zip(g, input).reduce(0) { $0 + $1.0 * $1.1 }, dotScale = zip(g, input).reduce(0) { $0 + abs($1.0 * $1.1) }
        #expect(abs(dot - reference.dotInput) <= tolerance * max(dotScale, 1e-300), "\(label): sum g x")
    }

    @Test("Double gradients of both images within 1e-9 of max |torch autograd gradient|", arguments: WangMSSSIMCase.withGradients)
    func doubleGradients(_ c: WangMSSSIMCase) throws {
        let (_, x, y, _) = WangMSSSIMFile.shared.images(c.input)
        let reference = c.expectedGradients!
        expectGradient(try sumGradient(c, Double.self), reference.sum.x, pixels: c.pixels!, input: x, tolerance: 1e-9, "d sum / dx")
        expectGradient(try sumGradient(c, Double.self, ofSecond: true), reference.sum.y, pixels: c.pixels!, input: y, tolerance: 1e-9, "d sum / dy")
        // The mean loss 1 - MS-SSIM: minus the sum's gradient over the batch size.
        let meanLoss = try sumGradient(c, Double.self, reduction: .mean).map { -$0 }
        expectGradient(meanLoss, reference.meanLoss.x, pixels: c.pixels!, input: x, tolerance: 1e-9, "d mean loss / dx")
    }

    @Test(
        "Float gradients within 1e-4 of max |torch autograd gradient|",
        arguments: WangMSSSIMCase.withGradients.filter { $0.name != "pytorchMSSSIM-near-identical-177x176-unit" })
    func floatGradients(_ c: WangMSSSIMCase) throws {
        let (_, x, _, _) = WangMSSSIMFile.shared.images(c.input)
        let gradient = try sumGradient(c, Float.self)
        withKnownIssue(
            """
            L = 255 on [0, 1] data: every term lies within 1e-10 of 1, under Float's resolution (6e-8), and the \
            gradient's partials are differences of such numbers: Float gives them to about 1e-3 of max |g| only
            """
        ) {
            expectGradient(gradient, c.expectedGradients!.sum.x, pixels: c.pixels!, input: x, tolerance: 1e-4, "Float d sum / dx")
        } when: {
            c.name == "wang-near-identical-177x176-unit-L255"
        }
    }

    /// pytorch-msssim's near-identical pair: the Float gradient is rounding noise at the bar's level,
    /// and which C kernel clone runs moves it: 0.92e-4 of max |g| with the AVX2 and AVX-512 clones
    /// (whose compiler contracts multiply-adds in `ssim_combine`), 1.4e-4 with the baseline one
    /// (built alone with `-Xcc -DSSIM_NO_CLONES`, and the only one under ThreadSanitizer). A known
    /// issue where it shows: Float's gradient of so similar a pair is not good to 1e-4 on every
    /// instruction set.
    @Test("Float gradient of pytorch-msssim's near-identical pair within 1e-4 of max |torch gradient|")
    func floatGradientOfNearIdenticalPair() throws {
        let c = WangMSSSIMCase.withGradients.first { $0.name == "pytorchMSSSIM-near-identical-177x176-unit" }!
        let (_, x, _, _) = WangMSSSIMFile.shared.images(c.input)
        let gradient = try sumGradient(c, Float.self)
        withKnownIssue("1.4e-4 of max |g| with the baseline (SSE2) kernels, 0.92e-4 with the FMA clones", isIntermittent: true) {
            expectGradient(gradient, c.expectedGradients!.sum.x, pixels: c.pixels!, input: x, tolerance: 1e-4, "Float d sum / dx")
        }
    }

    @Test(".wang and .tensorflow gradients against central finite differences", arguments: WangMSSSIMCase.valued.filter { $0.finiteDifferences != nil })
    func finiteDifferences(_ c: WangMSSSIMCase) throws {
        let fd = c.finiteDifferences!
        let g = try sumGradient(c, Double.self)
        let scale = max(maxMagnitude(g), 1e-300)
        // Central differences of a sum of two values near 1 carry their rounding (half an ulp,
        // 1.1e-16, each) over 2h: about 2.2e-16 / h (4e-12 here), besides their h^2 truncation.
        let error = maxAbsoluteDifference(fd.pixels.map { g[$0] }, fd.sumGradientX), rounding = 4e-16 / fd.h
        #expect(error <= 1e-6 * scale + rounding, "off by \(error) (max |g| \(scale), step \(fd.h))")
    }

    #if canImport(_Differentiation)
    /// A case per preset: the pullback of the core (every build) and of the public throwing
    /// functions (release builds: see `GradientTests`) against torch's gradient of the sum.
    static let autodiffCases =
        ["wang", "pytorchMSSSIM", "tensorflow", "torchmetrics", "piq"].compactMap { preset in
            WangMSSSIMCase.withGradients.first { $0.preset == preset }
        } + WangMSSSIMCase.withGradients.filter { $0.name.contains("volume") }.prefix(1)

    @Test("Autodiff through the core equals torch autograd, both images", arguments: autodiffCases)
    func autodiffCore(_ c: WangMSSSIMCase) throws {
        let (x, y) = try c.images(Double.self)
        let plan = try PyramidPlan<Double>(x, y, options: c.multiScaleOptions, target: .map)
        let (_, pullback) = valueWithPullback(at: x, y) { a, b in evaluate(a, b, plan) }
        let (g1, g2) = pullback(try Tensor(shape: [x.shape[0]], repeating: 1.0))
        let (_, xs, ys, _) = WangMSSSIMFile.shared.images(c.input)
        expectGradient(g1.scalars, c.expectedGradients!.sum.x, pixels: c.pixels!, input: xs, tolerance: 1e-9, "autodiff d sum / dx")
        expectGradient(g2.scalars, c.expectedGradients!.sum.y, pixels: c.pixels!, input: ys, tolerance: 1e-9, "autodiff d sum / dy")
    }

    @Test(
        "Autodiff through MultiScaleSSIM and MultiScaleSSIMLoss equals torch autograd, each image",
        .enabled(if: GradientTests.autodiffEnabled, GradientTests.autodiffDisabled), arguments: autodiffCases)
    func autodiffPublic(_ c: WangMSSSIMCase) throws {
        let (x, y) = try c.images(Double.self)
        let (_, xs, ys, _) = WangMSSSIMFile.shared.images(c.input)
        let ones = try Tensor(shape: [x.shape[0]], repeating: 1.0)
        let (g1, g2) = try pullbacksOfEachImage(through: MultiScaleSSIM(options: c.multiScaleOptions), at: x, y, seed: ones)
        expectGradient(g1.scalars, c.expectedGradients!.sum.x, pixels: c.pixels!, input: xs, tolerance: 1e-9, "MultiScaleSSIM d / dx")
        expectGradient(g2.scalars, c.expectedGradients!.sum.y, pixels: c.pixels!, input: ys, tolerance: 1e-9, "MultiScaleSSIM d / dy")
        let loss = try MultiScaleSSIMLoss(options: c.multiScaleOptions, reduction: .mean)
        let (l1, _) = try pullbacksOfEachImage(through: loss, at: x, y, seed: Tensor(1.0))
        expectGradient(l1.scalars, c.expectedGradients!.meanLoss.x, pixels: c.pixels!, input: xs, tolerance: 1e-9, "MultiScaleSSIMLoss d / dx")
    }
    #endif

    @Test("images below a preset's minimum size throw an error that names the minimum", arguments: WangMSSSIMCase.tooSmall)
    func tooSmall(_ c: WangMSSSIMCase) throws {
        let (x, y) = try c.images(Double.self)
        #expect(throws: SSIMError.imageTooSmallForScales(shape: x.shape, scales: 5, windowSize: 11, minimum: 176)) {
            try multiScaleSSIM(x, y, options: c.multiScaleOptions)
        }
    }
}
