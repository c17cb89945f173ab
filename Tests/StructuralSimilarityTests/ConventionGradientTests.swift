import Testing
@testable import StructuralSimilarity
#if canImport(_Differentiation)
import _Differentiation
#endif

/// Gradients under every convention: `ssimLossWithGradient(_:_:options:reduction:)` against
/// central finite differences in Double, through the borders, windows, covariances, the
/// grayscale conversion and piq's pooling.
@Suite struct ConventionGradientTests {
    /// Central differences of the summed loss at every `step`-th element of `x` (skipping the
    /// elements that set a data range taken from the inputs: it is held constant).
    func checkFiniteDifferences(
        _ x: Tensor<Double>, _ y: Tensor<Double>, _ options: SSIMOptions, reduction: Reduction = .mean,
        elements: [Int], tolerance: Double = 1e-7
    ) throws {
        let (_, gradient) = try ssimLossWithGradient(x, y, options: options, reduction: reduction)
        #expect(gradient.shape == x.shape)
        let extremes: Set<Double> = [x.scalars.min()!, x.scalars.max()!]
        func objective(_ p: [Double]) throws -> Double {
            try ssimLoss(Tensor(shape: x.shape, scalars: p), y, options: options, reduction: reduction).scalars.reduce(0, +)
        }
        let h = 1e-6
        for i in elements where !(options.dataRange == .inputSpan && extremes.contains(x.scalars[i])) {
            var plus = x.scalars, minus = x.scalars
            plus[i] += h; minus[i] -= h
            let numeric = (try objective(plus) - (try objective(minus))) / (2 * h)
            #expect(abs(numeric - gradient.scalars[i]) <= tolerance, "element \(i): numeric \(numeric), backward \(gradient.scalars[i])")
        }
    }

    @Test("Every preset's gradient agrees with finite differences", arguments: SSIMConvention.allCases)
    func presets(_ convention: SSIMConvention) throws {
        let shape = [2, 2, 14, 13]
        let x: Tensor<Double> = randomTensor(shape, seed: 81)
        let noise: Tensor<Double> = randomTensor(shape, seed: 82)
        let y = try Tensor(shape: shape, scalars: zip(x.scalars, noise.scalars).map { 0.7 * $0 + 0.3 * $1 })
        var options = convention.options
        if options.maxValue == 255 { options.dataRange = .value(1) }  // pytorch-msssim's default range on [0, 1] data
        try checkFiniteDifferences(x, y, options, elements: Array(stride(from: 0, to: x.scalars.count, by: 11)))
    }

    @Test(
        "The gradient of the mean SSIM equals torch autograd's through the torch peers",
        arguments: ConventionFixtures.checks.filter { $0.result.meanGradient1 != nil })
    func torchAutograd(_ check: ConventionCheck) throws {
        let expected = try #require(check.result.meanGradient1)
        let (x, y) = check.testCase.images(Double.self)
        // mean SSIM = 1 - 2 mean loss where the loss is not clamped (SSIM lies in [-1, 1]).
        let (_, lossGradient) = try ssimLossWithGradient(x, y, options: check.result.resolvedOptions())
        let gradient = lossGradient.scalars.map { -2 * $0 }
        #expect(maxAbsoluteDifference(gradient, expected) <= 1e-9 * maxMagnitude(expected), "\(check.result.peer)")
    }

    @Test("Borders, windows and covariances: finite differences", arguments: [Border.reflect, .symmetric, .replicate, .zero])
    func borders(_ border: Border) throws {
        let shape = [1, 2, 9, 10]
        let x: Tensor<Double> = randomTensor(shape, seed: 83)
        let y: Tensor<Double> = randomTensor(shape, seed: 84)
        for (window, size, covariance, reduction) in [
            (SSIMWindow.gaussian(sigma: 2), 5, Covariance.sample, Reduction.sum), (.uniform, 3, .population, .none),
            (.gaussian(sigma: 1), 7, .population, .mean),
        ] {
            let options = SSIMOptions(window: window, windowSize: size, border: border, covariance: covariance, k1: 0.02, k2: 0.05, eps: 0)
            try checkFiniteDifferences(x, y, options, reduction: reduction, elements: Array(stride(from: 0, to: x.scalars.count, by: 3)))
        }
    }

    @Test("Zero and replicate borders across the row bands of a tall image", arguments: [Border.zero, .replicate, .symmetric])
    func bordersAcrossBands(_ border: Border) throws {
        let shape = [1, 1, 140, 12]  // two bands: rows 0..<128 and 128..<140
        let x: Tensor<Double> = randomTensor(shape, seed: 85)
        let y: Tensor<Double> = randomTensor(shape, seed: 86)
        let options = SSIMOptions(windowSize: 7, border: border, eps: 0)
        let rows = [0, 1, 3, 64, 127, 128, 136, 139]
        try checkFiniteDifferences(x, y, options, elements: rows.flatMap { r in [0, 5, 11].map { r * 12 + $0 } }, tolerance: 1e-8)
    }

    @Test(
        "Grayscale conversions: finite differences through the channel mix",
        arguments: [(SSIMConvention.matlab, GrayscaleConversion.matlabRGB2Gray), (.scikitImageGaussian, .bt601Luma)])
    func grayscale(_ convention: SSIMConvention, _ conversion: GrayscaleConversion) throws {
        let shape = [1, 3, 13, 12]
        let x: Tensor<Double> = randomTensor(shape, seed: 87)
        let y: Tensor<Double> = randomTensor(shape, seed: 88)
        var options = convention.options
        options.grayscale = conversion
        #expect(try ssim(x, y, options: options).shape[1] == 1)
        try checkFiniteDifferences(x, y, options, elements: Array(stride(from: 0, to: x.scalars.count, by: 7)))
    }

    @Test func piqDownsamplingFiniteDifferences() throws {
        // min(H, W) = 386: f = round(1.51) = 2; 387 x 386 pools to 193 x 193, dropping the last row.
        let shape = [1, 1, 387, 386]
        let x: Tensor<Double> = randomTensor(shape, seed: 89)
        let noise: Tensor<Double> = randomTensor(shape, seed: 90)
        let y = try Tensor(shape: shape, scalars: zip(x.scalars, noise.scalars).map { 0.8 * $0 + 0.2 * $1 })
        #expect(try ssim(x, y, options: .piq).shape == [1, 1, 183, 183])
        let last = 386 * 386  // the first pixel of the dropped last row: gradient 0
        try checkFiniteDifferences(x, y, .piq, elements: [0, 1, 387, 1000, 50_000, 149_000, last, last + 5], tolerance: 1e-9)
        let (_, gradient) = try ssimLossWithGradient(x, y, options: .piq)
        #expect(gradient.scalars[last..<(last + 386)].allSatisfy { $0 == 0 })
    }

    #if canImport(_Differentiation)
    @Test(
        "Autodiff through the preprocessing and loss cores equals ssimLossWithGradient(options:)",
        arguments: [SSIMConvention.matlab, .scikitImage, .piq])
    func autodiffCores(_ convention: SSIMConvention) throws {
        var options = convention.options
        options.grayscale = .matlabRGB2Gray
        let shape = [1, 3, 15, 14]
        let x: Tensor<Double> = randomTensor(shape, seed: 91)
        let y: Tensor<Double> = randomTensor(shape, seed: 92)
        let viaAutodiff = try conventionLossCoreGradient(x, y, options)
        let (_, expected) = try ssimLossWithGradient(x, y, options: options)
        #expect(maxAbsoluteDifference(viaAutodiff.scalars, expected.scalars) <= 1e-15)
    }

    @Test(
        "Autodiff through the public ssimLoss(options:) and ssim(options:), one image at a time",
        .enabled(if: GradientTests.autodiffEnabled, GradientTests.autodiffDisabled),
        arguments: [SSIMConvention.scikitImage, .piq, .matlab, .pytorchMSSSIM], [DataRange.value(1), .inputSpan])
    func autodiffPublicAPI(_ convention: SSIMConvention, _ dataRange: DataRange) throws {
        // A data range taken from the inputs is a constant of differentiation (PlanarPlan.constant),
        // as in ssimLossWithGradient(options:).
        var options = convention.options
        options.grayscale = .bt601Luma
        options.dataRange = dataRange
        let shape = [1, 3, 15, 14]
        let x: Tensor<Double> = randomTensor(shape, seed: 93)
        let y: Tensor<Double> = randomTensor(shape, seed: 94)
        let (_, expected) = try ssimLossWithGradient(x, y, options: options, reduction: .sum)
        let (viaLoss, viaMap) = try conventionPublicGradients(x, y, options)
        #expect(maxAbsoluteDifference(viaLoss.scalars, expected.scalars) <= 1e-15)
        // sum((1 - SSIM) / 2) has the loss's gradient where nothing is clamped.
        #expect(maxAbsoluteDifference(viaMap.scalars, expected.scalars) <= 1e-12)
    }
    #endif
}

#if canImport(_Differentiation)
/// The gradient of the mean loss through the non-throwing cores (the public throwing functions
/// are not differentiated in debug builds: see GradientTests).
func conventionLossCoreGradient(_ x: Tensor<Double>, _ y: Tensor<Double>, _ options: SSIMOptions) throws -> Tensor<Double> {
    let plan = try PlanarPlan(x, y, options: options, target: .loss(.mean))
    return gradient(at: x) { p in evaluate(p, y, plan).scalar }
}
#endif

#if canImport(_Differentiation)
/// The gradient of the summed loss through `ssimLoss(_:_:options:reduction:)`, and that of
/// `sum((1 - SSIM) / 2)` through `ssim(_:_:options:)`, with respect to the first image.
func conventionPublicGradients(_ x: Tensor<Double>, _ y: Tensor<Double>, _ options: SSIMOptions) throws -> (Tensor<Double>, Tensor<Double>) {
    let viaLoss = try gradient(at: x) { p in try ssimLoss(p, y, options: options, reduction: .sum).scalar }
    let viaMap = try gradient(at: x) { p in try ssim(p, y, options: options).sum().scalar * -0.5 }
    return (viaLoss, viaMap)
}
#endif
