import Testing
@testable import StructuralSimilarity
#if canImport(_Differentiation)
import _Differentiation
#endif

/// The masked (weighted) SSIM: the map, the weighted means and the gradients of both images
/// against a float64 torch reference of the definition with autograd (`masked_ssim.json`), weights
/// of all ones against the unweighted SSIM, finite differences, NaN pixels, the module forms.
@Suite struct MaskedSSIMTests {
    /// The map with NaN as nil.
    func optional<Scalar: SSIMScalar>(_ t: Tensor<Scalar>) -> [Double?] { t.scalars.map { $0.isNaN ? nil : Double($0) } }

    /// The largest difference of two maps that must be NaN at the same elements (infinity if not).
    func mapDifference(_ a: [Double?], _ b: [Double?]) -> Double {
        guard a.count == b.count else { return .infinity }
        var worst = 0.0
        for (u, v) in zip(a, b) {
            switch (u, v) {
            case (nil, nil): continue
            case let (u?, v?): worst = max(worst, abs(u - v))
            default: return .infinity
            }
        }
        return worst
    }

    @Test("Double: the map, the means and the gradients equal the float64 reference", arguments: MaskedFixtures.cases)
    func double(_ c: MaskedCase) throws {
        let (x, y, w) = c.inputs(Double.self)
        let o = c.options, nan = c.ignoringNaN
        #expect(try mapDifference(optional(try ssim(x, y, options: o, weights: w, ignoringNaN: nan)), c.map) <= 1e-12)
        #expect(try mapDifference(optional(try ssimLoss(x, y, options: o, weights: w, ignoringNaN: nan, reduction: .none)), c.lossMap) <= 1e-12)
        #expect(try abs(try meanSSIM(x, y, options: o, weights: w, ignoringNaN: nan).scalar - c.meanSSIM) <= 1e-13)
        #expect(try abs(try ssimLoss(x, y, options: o, weights: w, ignoringNaN: nan).scalar - c.meanLoss) <= 1e-13)
        #expect(try abs(try ssimLoss(x, y, options: o, weights: w, ignoringNaN: nan, reduction: .sum).scalar - c.sumLoss) <= 1e-12 * abs(c.sumLoss))
        let (value, g1) = try ssimLossWithGradient(x, y, options: o, weights: w, ignoringNaN: nan)
        #expect(abs(value.scalar - c.meanLoss) <= 1e-13)
        #expect(maxAbsoluteDifference(g1.scalars, c.lossGrad1) <= 1e-9 * maxMagnitude(c.lossGrad1))
        let (_, g2) = try ssimLossWithGradient(y, x, options: o, weights: w, ignoringNaN: nan)
        #expect(maxAbsoluteDifference(g2.scalars, c.lossGrad2) <= 1e-9 * maxMagnitude(c.lossGrad2))
        let (_, s1) = try ssimLossWithGradient(x, y, options: o, weights: w, ignoringNaN: nan, reduction: .sum)
        #expect(maxAbsoluteDifference(s1.scalars, c.sumLossGrad1) <= 1e-9 * maxMagnitude(c.sumLossGrad1))
    }

    @Test("Both images' gradients of the mean SSIM from one backward pass equal autograd's", arguments: MaskedFixtures.cases)
    func meanGradients(_ c: MaskedCase) throws {
        let (x, y, w) = c.inputs(Double.self)
        let plan = try MaskedPlan(x, y, weights: w, options: c.options, ignoringNaN: c.ignoringNaN, target: .map, reducesMap: true)
        let g = plan.backward(x.scalars, y.scalars, seed: Tensor(1), wantsY: true, wantsValues: false)
        #expect(maxAbsoluteDifference(g.dx, c.meanGrad1) <= 1e-9 * maxMagnitude(c.meanGrad1))
        #expect(maxAbsoluteDifference(g.dy, c.meanGrad2) <= 1e-9 * maxMagnitude(c.meanGrad2))
        #expect(abs(g.sum / plan.weightTotal - c.meanSSIM) <= 1e-13)
    }

    @Test("Float: the map, the means and the gradients against the float64 reference", arguments: MaskedFixtures.cases)
    func float(_ c: MaskedCase) throws {
        let (x, y, w) = c.inputs(Float.self)
        let o = c.options, nan = c.ignoringNaN
        let map = try ssim(x, y, options: o, weights: w, ignoringNaN: nan)
        #expect(mapDifference(optional(map), c.map) <= 1e-5)
        #expect(try abs(Double(try meanSSIM(x, y, options: o, weights: w, ignoringNaN: nan).scalar) - c.meanSSIM) <= 1e-6)
        let (value, g1) = try ssimLossWithGradient(x, y, options: o, weights: w, ignoringNaN: nan)
        #expect(abs(Double(value.scalar) - c.meanLoss) <= 1e-6)
        #expect(maxAbsoluteDifference(g1.scalars, c.lossGrad1) <= 1e-4 * maxMagnitude(c.lossGrad1))
        let (_, g2) = try ssimLossWithGradient(y, x, options: o, weights: w, ignoringNaN: nan)
        #expect(maxAbsoluteDifference(g2.scalars, c.lossGrad2) <= 1e-4 * maxMagnitude(c.lossGrad2))
    }

    static let unweightedOptions: [SSIMOptions] = {
        var zero = SSIMOptions.kornia, replicate = SSIMOptions.kornia
        zero.border = .zero
        replicate.border = .replicate
        return [.kornia, .scikitImage, .scikitImageGaussian, .tensorflow, .matlab, zero, replicate]
    }()

    @Test("Weights of all ones give the unweighted SSIM: map, loss, gradients (Double within 1e-15)", arguments: unweightedOptions)
    func allOnes(_ options: SSIMOptions) throws {
        var o = options
        if o.maxValue == 255 { o.dataRange = .value(1) }
        // 300 rows: three bands of 128 rows, so that the plane shifts are shared by tasks.
        for shape in [[2, 3, 23, 29], [1, 1, 300, 40]] {
            let x: Tensor<Double> = randomTensor(shape, seed: 91)
            let noise: Tensor<Double> = randomTensor(shape, seed: 92)
            let y = try Tensor(shape: shape, scalars: zip(x.scalars, noise.scalars).map { 0.8 * $0 + 0.2 * $1 })
            let ones = try Tensor<Double>(shape: [shape[0], 1, shape[2], shape[3]], scalars: Array(repeating: 1, count: shape[0] * shape[2] * shape[3]))
            let map = try ssim(x, y, options: o, weights: ones), plainMap = try ssim(x, y, options: o)
            #expect(maxAbsoluteDifference(map.scalars, plainMap.scalars) <= 1e-15)
            // (The plain map's mean compensated, Kahan's sum: a running sum of 4,000 terms is itself 1e-15 off.)
            var total = 0.0, compensation = 0.0
            for v in plainMap.scalars {
                let t = total + (v - compensation)
                compensation = (t - total) - (v - compensation)
                total = t
            }
            let mean = try meanSSIM(x, y, options: o, weights: ones).scalar, plainMean = total / Double(plainMap.scalars.count)
            #expect(abs(mean - plainMean) <= 1e-15)
            for reduction in [Reduction.mean, .sum] {
                let masked = try ssimLossWithGradient(x, y, options: o, weights: ones, reduction: reduction)
                let plain = try ssimLossWithGradient(x, y, options: o, reduction: reduction)
                #expect(abs(masked.value.scalar - plain.value.scalar) <= 1e-15 * max(1, abs(plain.value.scalar)))
                #expect(maxAbsoluteDifference(masked.gradient.scalars, plain.gradient.scalars) <= 1e-15)
            }
        }
    }

    @Test("Float: weights of all ones give the unweighted SSIM within 1e-6", arguments: unweightedOptions)
    func allOnesFloat(_ options: SSIMOptions) throws {
        var o = options
        if o.maxValue == 255 { o.dataRange = .value(1) }
        let shape = [2, 3, 23, 29]
        let x: Tensor<Float> = randomTensor(shape, seed: 93)
        let noise: Tensor<Float> = randomTensor(shape, seed: 94)
        let y = try Tensor(shape: shape, scalars: zip(x.scalars, noise.scalars).map { 0.8 * $0 + 0.2 * $1 })
        let ones = try Tensor<Float>(shape: shape, scalars: Array(repeating: 1, count: x.scalars.count))
        #expect(try maxAbsoluteDifference(try ssim(x, y, options: o, weights: ones).scalars, try ssim(x, y, options: o).scalars) <= 1e-6)
        let masked = try ssimLossWithGradient(x, y, options: o, weights: ones)
        let plain = try ssimLossWithGradient(x, y, options: o)
        #expect(abs(masked.value.scalar - plain.value.scalar) <= 1e-6)
        #expect(maxAbsoluteDifference(masked.gradient.scalars, plain.gradient.scalars) <= 1e-6 * maxMagnitude(plain.gradient.scalars.map { Double($0) }))
    }

    @Test("The gradient agrees with central finite differences, at and away from the mask's edges", arguments: MaskedFixtures.cases)
    func finiteDifferences(_ c: MaskedCase) throws {
        let (x, y, w) = c.inputs(Double.self)
        let o = c.options, nan = c.ignoringNaN
        let (_, gradient) = try ssimLossWithGradient(x, y, options: o, weights: w, ignoringNaN: nan)
        let h = 1e-6
        for i in stride(from: 0, to: x.scalars.count, by: 7) where !x.scalars[i].isNaN {
            var plus = x.scalars, minus = x.scalars
            plus[i] += h
            minus[i] -= h
            let up = try ssimLoss(Tensor(shape: x.shape, scalars: plus), y, options: o, weights: w, ignoringNaN: nan).scalar
            let down = try ssimLoss(Tensor(shape: x.shape, scalars: minus), y, options: o, weights: w, ignoringNaN: nan).scalar
            #expect(abs((up - down) / (2 * h) - gradient.scalars[i]) <= 1e-8, "element \(i)")
        }
    }

    @Test func aPixelOfWeightZeroIsInvisibleEvenIfNaN() throws {
        let shape = [1, 1, 16, 16]
        let x: Tensor<Double> = randomTensor(shape, seed: 95), y: Tensor<Double> = randomTensor(shape, seed: 96)
        var weights = [Double](repeating: 1, count: 256), broken = x.scalars
        weights[40] = 0
        broken[40] = .nan
        let w = try Tensor(shape: shape, scalars: weights)
        let (value, gradient) = try ssimLossWithGradient(Tensor(shape: shape, scalars: broken), y, options: .kornia, weights: w)
        #expect(value.scalar.isFinite)
        #expect(gradient.scalars[40] == 0)
        #expect(!gradient.scalars.contains { !$0.isFinite })
        // Another value at the hidden pixel changes nothing.
        broken[40] = 0.5
        #expect(try ssimLoss(Tensor(shape: shape, scalars: broken), y, options: .kornia, weights: w).scalar == value.scalar)
        // A NaN of positive weight propagates unless ignoringNaN.
        weights[40] = 1
        broken[40] = .nan
        let nanImage = try Tensor(shape: shape, scalars: broken), ones = try Tensor(shape: shape, scalars: weights)
        #expect(try ssimLoss(nanImage, y, options: .kornia, weights: ones).scalar.isNaN)
        #expect(try ssimLoss(nanImage, y, options: .kornia, weights: ones, ignoringNaN: true).scalar == value.scalar)
    }

    @Test func theModuleFormsEqualTheFunctions() throws {
        let c = MaskedFixtures.cases[1]
        let (x, y, w) = c.inputs(Float.self)
        let metric = try SSIM(options: c.options), criterion = try SSIMLoss(options: c.options, reduction: .sum)
        #expect(
            try metric(x, y, weights: w).scalars.elementsEqual(try ssim(x, y, options: c.options, weights: w).scalars) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(try criterion(x, y, weights: w).scalar == (try ssimLoss(x, y, options: c.options, weights: w, reduction: .sum).scalar))
        let (value, gradient) = try criterion.valueWithGradient(x, y, weights: w)
        let direct = try ssimLossWithGradient(x, y, options: c.options, weights: w, reduction: .sum)
        #expect(value.scalar == direct.value.scalar && gradient.scalars == direct.gradient.scalars)
    }

    @Test func badWeightsThrowTypedErrors() throws {
        let x: Tensor<Float> = randomTensor([2, 3, 16, 16], seed: 97), y: Tensor<Float> = randomTensor([2, 3, 16, 16], seed: 98)
        func weights(_ shape: [Int], _ value: Float = 0.5) -> Tensor<Float> {
            try! Tensor(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
        }
        #expect(throws: SSIMError.weightShapeMismatch(weights: [2, 2, 16, 16], images: [2, 3, 16, 16])) {
            try ssim(x, y, options: .kornia, weights: weights([2, 2, 16, 16]))
        }
        #expect(throws: SSIMError.weightShapeMismatch(weights: [1, 1, 16, 16], images: [2, 3, 16, 16])) {
            try ssim(x, y, options: .kornia, weights: weights([1, 1, 16, 16]))
        }
        #expect(throws: SSIMError.weightShapeMismatch(weights: [2, 16, 16], images: [2, 3, 16, 16])) {
            try ssimLoss(x, y, options: .kornia, weights: weights([2, 16, 16]))
        }
        #expect(throws: SSIMError.weightOutOfRange(1.5)) { try ssim(x, y, options: .kornia, weights: weights([2, 1, 16, 16], 1.5)) }
        #expect(throws: SSIMError.weightOutOfRange(-1)) { try ssim(x, y, options: .kornia, weights: weights([2, 1, 16, 16], -1)) }
        #expect(
            performing: { try ssim(x, y, options: .kornia, weights: weights([2, 1, 16, 16], .nan)) },
            throws: { error in
                if case let .weightOutOfRange(v)? = error as? SSIMError { return v.isNaN }
                return false
            })
        #expect(throws: SSIMError.zeroWeights(shape: [2, 1, 16, 16], padding: .same)) {
            try ssimLossWithGradient(x, y, options: .kornia, weights: weights([2, 1, 16, 16], 0))
        }
        // Weight only within the border that padding 'valid' crops.
        var border = [Float](repeating: 0, count: 2 * 256)
        border[0] = 1
        var valid = SSIMOptions.kornia
        valid.padding = .valid
        valid.windowSize = 7
        #expect(throws: SSIMError.zeroWeights(shape: [2, 1, 16, 16], padding: .valid)) {
            try meanSSIM(x, y, options: valid, weights: Tensor(shape: [2, 1, 16, 16], scalars: border))
        }
        var gray = SSIMOptions.kornia
        gray.grayscale = .bt601Luma
        #expect(throws: SSIMError.weightsNeedNoPreprocessing) { try ssim(x, y, options: gray, weights: weights([2, 1, 16, 16])) }
        var general = SSIMOptions.matlab
        general.exponents = SSIMExponents(alpha: 1, beta: 0.5, gamma: 2)
        #expect(throws: SSIMError.weightsNeedStandardForm) { try ssim(x, y, options: general, weights: weights([2, 1, 16, 16])) }
        // The images' own checks come first, in the usual order.
        #expect(throws: SSIMError.invalidWindowSize(4)) {
            var o = SSIMOptions.kornia
            o.windowSize = 4
            return try ssim(x, y, options: o, weights: weights([5]))
        }
        for error: SSIMError in [
            .weightShapeMismatch(weights: [2, 2, 16, 16], images: [2, 3, 16, 16]), .weightOutOfRange(1.5),
            .zeroWeights(shape: [2, 1, 16, 16], padding: .valid), .weightsNeedNoPreprocessing, .weightsNeedStandardForm,
        ] {
            #expect(!error.description.isEmpty)
        }
        #expect(SSIMError.weightShapeMismatch(weights: [2, 2, 16, 16], images: [2, 3, 16, 16]).description.contains("[2, 1, 16, 16]"))
    }

    #if canImport(_Differentiation)
    @Test(
        "Autodiff through the masked loss equals the backward", .enabled(if: GradientTests.autodiffEnabled, GradientTests.autodiffDisabled),
        arguments: MaskedFixtures.cases)
    func autodiff(_ c: MaskedCase) throws {
        let (x, y, w) = c.inputs(Double.self)
        let o = c.options, nan = c.ignoringNaN
        let g1 = try gradient(at: x) { p in try ssimLoss(p, y, options: o, weights: w, ignoringNaN: nan).scalar }
        #expect(maxAbsoluteDifference(g1.scalars, c.lossGrad1) <= 1e-9 * maxMagnitude(c.lossGrad1))
        let m2 = try gradient(at: y) { q in try meanSSIM(x, q, options: o, weights: w, ignoringNaN: nan).scalar }
        #expect(maxAbsoluteDifference(m2.scalars, c.meanGrad2) <= 1e-9 * maxMagnitude(c.meanGrad2))
    }
    #endif
}
