import Testing
@testable import StructuralSimilarity

/// ``SSIMOptions``: bad settings throw typed errors that say what to change; the presets and
/// the named conventions agree; the small helpers compute what their peers do.
@Suite struct SSIMOptionsTests {
    let image: Tensor<Double> = randomTensor([1, 3, 12, 12], seed: 95)

    func message(_ options: SSIMOptions, _ x: Tensor<Double>? = nil, _ y: Tensor<Double>? = nil) -> String? {
        do { _ = try ssim(x ?? image, y ?? image, options: options); return nil } catch { return "\(error)" }
    }

    @Test func badSettingsThrowWithAFix() throws {
        var o = SSIMOptions.kornia
        o.windowSize = 4
        #expect(message(o)?.contains("even") == true)
        o = .kornia; o.sigma = 0
        #expect(message(o)?.contains("sigma 0.0 must be finite and positive") == true)
        o = .kornia; o.sigma = .nan
        #expect(message(o)?.contains("sigma") == true)
        o = .scikitImage; o.windowSize = 1
        #expect(message(o)?.contains("covariance 'population'") == true)
        o = .kornia; o.k2 = -0.03
        #expect(message(o)?.contains("k2 -0.03 must be finite and not negative") == true)
        o = .kornia; o.dataRange = .value(0)
        #expect(throws: SSIMError.invalidMaxValue(0)) { try ssim(image, image, options: o) }
        o = .kornia; o.eps = -1
        #expect(throws: SSIMError.invalidEps(-1)) { try ssim(image, image, options: o) }
    }

    @Test func imagesThatDoNotFitThrow() throws {
        var o = SSIMOptions.kornia
        o.grayscale = .matlabRGB2Gray
        let twoChannels: Tensor<Double> = randomTensor([1, 2, 12, 12], seed: 96)
        #expect(message(o, twoChannels, twoChannels)?.contains("needs RGB images with 3 channels") == true)
        o = .kornia; o.border = .symmetric; o.windowSize = 11
        let small: Tensor<Double> = randomTensor([1, 1, 4, 9], seed: 97)
        #expect(message(o, small, small)?.contains("border 'symmetric'") == true)
        o.border = .replicate
        #expect(message(o, small, small) == nil)  // a replicate (or zero) border fits any size
        o.border = .zero
        #expect(message(o, small, small) == nil)
        #expect(throws: SSIMError.imageTooSmall(shape: [1, 1, 4, 9], windowSize: 11, padding: .valid)) {
            try ssim(small, small, options: .scikitImageGaussian)
        }
        let flat = try Tensor<Double>(shape: [1, 1, 12, 12], repeating: 0.5)
        #expect(message(.torchmetrics, flat, flat)?.contains("set dataRange") == true)
        var withNaN = image.scalars
        withNaN[5] = .nan
        #expect(message(.torchmetrics, try Tensor(shape: image.shape, scalars: withNaN), image)?.contains("not finite") == true)
        #expect(span([Float(3), -1, 2.5]) == 4 && span([Double]()) == 0 && span([1.0, .infinity]).isNaN)
        #expect(throws: SSIMError.rankMismatch(argument: "the first image", shape: [12, 12], expected: 4)) {
            try ssim(try Tensor<Double>(shape: [12, 12], repeating: 0), image, options: .kornia)
        }
    }

    @Test("The modules hold any convention and equal the functions", arguments: SSIMConvention.allCases)
    func modules(_ convention: SSIMConvention) throws {
        let x: Tensor<Float> = randomTensor([2, 3, 17, 16], seed: 98)
        let y: Tensor<Float> = randomTensor([2, 3, 17, 16], seed: 99)
        let options = convention.options
        #expect(try SSIM(options: options)(x, y) == (try ssim(x, y, options: options)))
        let criterion = try SSIMLoss(options: options, reduction: .sum)
        #expect(try criterion(x, y) == (try ssimLoss(x, y, options: options, reduction: .sum)))
        let (value, gradient) = try criterion.valueWithGradient(x, y)
        let expected = try ssimLossWithGradient(x, y, options: options, reduction: .sum)
        #expect(value == expected.value && gradient == expected.gradient)
        #expect(criterion.windowSize == options.windowSize && criterion.padding == options.padding)
        #expect(criterion.dataRange == options.dataRange)
        var bad = options
        bad.windowSize = 2
        #expect(throws: SSIMError.invalidWindowSize(2)) { try SSIMLoss(options: bad) }
    }

    @Test func theKorniaModulesHoldKorniaOptions() throws {
        let metric = try SSIM(windowSize: 7, maxValue: 2, eps: 1e-4, padding: .valid)
        var expected = SSIMOptions.kornia
        expected.windowSize = 7; expected.dataRange = .value(2); expected.eps = 1e-4; expected.padding = .valid
        #expect(metric.options == expected && metric.dataRange == .value(2) && metric.eps == 1e-4)
        #expect(try SSIMLoss(windowSize: 11).options == .kornia)
    }

    @Test func namedConventionsAreThePresets() {
        #expect(SSIMConvention(rawValue: "scikit-image")?.options == .scikitImage)
        #expect(SSIMConvention(rawValue: "pytorch-msssim")?.options == .pytorchMSSSIM)
        #expect(SSIMConvention.allCases.count == 8)
        #expect(SSIMOptions() == .kornia)
    }

    @Test func settingSigmaKeepsTheKindOfGaussian() {
        var o = SSIMOptions.pytorchMSSSIM
        o.sigma = 2
        #expect(o.window == .gaussianFloat32(sigma: 2))
        o = .scikitImage
        o.sigma = 1.5
        #expect(o.window == .gaussian(sigma: 1.5))
        o.sigma = nil
        #expect(o.window == .uniform)
    }

    @Test(
        "piq's factor rounds half to even, as Python's round",
        arguments: [
            (255, 300, 1), (383, 400, 1), (384, 384, 2), (640, 700, 2), (641, 641, 3), (1024, 2000, 4), (10, 10, 1),
        ])
    func piqFactor(height: Int, width: Int, factor: Int) {
        #expect(Downsampling.piqAutomatic.factor(height: height, width: width) == factor)
        #expect(Downsampling.none.factor(height: height, width: width) == 1)
    }

    @Test func borderIndices() {
        #expect([-2, -1, 0, 4, 5, 6].map { Border.reflect.index($0, 5) } == [2, 1, 0, 4, 3, 2])
        #expect([-2, -1, 0, 4, 5, 6].map { Border.symmetric.index($0, 5) } == [1, 0, 0, 4, 4, 3])
        #expect([-2, -1, 0, 4, 5, 6].map { Border.replicate.index($0, 5) } == [0, 0, 0, 4, 4, 4])
        #expect([-2, -1, 0, 4, 5, 6].map { Border.zero.index($0, 5) } == [nil, nil, 0, 4, nil, nil])
    }

    @Test func windows() {
        let uniform: [Double] = SSIMWindow.uniform.taps(size: 7)
        #expect(uniform.allSatisfy { $0 == 1.0 / 7 })
        let gaussian: [Double] = SSIMWindow.gaussian(sigma: 1.5).taps(size: 11)
        #expect(gaussian == gaussianWindow(size: 11))
        // torch's float32 taps (pytorch_msssim._fspecial_gauss_1d(11, 1.5)), printed by torch 2.15.
        let float32: [Double] = SSIMWindow.gaussianFloat32(sigma: 1.5).taps(size: 11)
        let torch: [Double] = [
            0.0010283803567290306, 0.0075987582094967365, 0.036000773310661316, 0.10936068743467331,
            0.21300552785396576, 0.26601171493530273,
        ]
        #expect(Array(float32.prefix(6)) == torch)
    }

    /// Each RGB-to-gray conversion is its formula: the SSIM of the converted images equals the SSIM
    /// of the images converted by hand (BT.709: 219 (0.2126 R + 0.7152 G + 0.0722 B) + 16, over 255).
    static let grayscaleFormulas: [(GrayscaleConversion, [Double])] = [
        (.matlabRGB2Gray, [0.298936021293775, 0.587043074451121, 0.114020904255103, 0]),
        (.bt601Luma, [65.481 / 255.0, 128.553 / 255.0, 24.966 / 255.0, 16.0 / 255.0]),
        (.bt709Luma, [46.5594 / 255.0, 156.6288 / 255.0, 15.8118 / 255.0, 16.0 / 255.0]),
    ]

    @Test(arguments: grayscaleFormulas)
    func grayscaleConversionsAreTheirFormulas(_ conversion: GrayscaleConversion, _ weights: [Double]) throws {
        let x: Tensor<Double> = randomTensor([1, 3, 24, 20], seed: 71), y: Tensor<Double> = randomTensor([1, 3, 24, 20], seed: 72)
        func gray(_ t: Tensor<Double>) throws -> Tensor<Double> {
            let n = 24 * 20
            let (r, g, b) = (t.scalars[0..<n], t.scalars[n..<(2 * n)], t.scalars[(2 * n)...])
            let values: [Double] = (0..<n).map { i in
                let red: Double = weights[0] * r[i], green: Double = weights[1] * g[n + i], blue: Double = weights[2] * b[2 * n + i]
                return red + green + blue + weights[3]
            }
            return try Tensor(shape: [1, 1, 24, 20], scalars: values)
        }
        var o = SSIMOptions.kornia
        o.grayscale = conversion
        let converted = try ssim(x, y, options: o)
        let byHand = try ssim(try gray(x), try gray(y), options: .kornia)
        #expect(maxAbsoluteDifference(converted.scalars, byHand.scalars) <= 1e-13)
    }
}
