import SSIMTestSupport
import Testing
@testable import StructuralSimilarity

/// The public API's coherence: one typed error case per refusal (with the messages they had as
/// `invalidArgument`), one name for the data range, one protocol for the modules, and tensors
/// whose memory the system refuses.
@Suite struct APICoherenceTests {
    let image: Tensor<Double> = randomTensor([1, 3, 12, 12], seed: 131)

    @Test func everyFormerInvalidArgumentHasItsOwnCase() throws {
        var o = SSIMOptions.kornia
        o.sigma = -1
        #expect(throws: SSIMError.invalidSigma(-1)) { try ssim(image, image, options: o) }
        o = .scikitImage
        o.windowSize = 1
        #expect(throws: SSIMError.sampleCovarianceNeedsLargerWindow(windowSize: 1)) { try ssim(image, image, options: o) }
        o = .kornia
        o.k2 = -1
        #expect(throws: SSIMError.invalidConstant(name: "k2", value: -1)) { try SSIM(options: o) }
        o = .torchmetrics
        let constant = try Tensor<Double>(shape: [1, 3, 12, 12], repeating: 0.5)
        #expect(throws: SSIMError.degenerateDataRange(0)) { try ssimLoss(constant, constant, options: o) }
        o = .kornia
        o.grayscale = .bt601Luma
        let gray: Tensor<Double> = randomTensor([1, 1, 12, 12], seed: 132)
        #expect(throws: SSIMError.grayscaleNeedsThreeChannels(shape: [1, 1, 12, 12], conversion: .bt601Luma)) { try ssim(gray, gray, options: o) }
        o = .kornia
        o.border = .symmetric
        o.windowSize = 31
        #expect(throws: SSIMError.imageTooSmallForBorder(shape: [1, 3, 12, 12], windowSize: 31, border: .symmetric)) {
            try ssim(image, image, options: o)
        }
        #expect(throws: SSIMError.invalidDataRange(0)) { try MSSSIMLoss(dataRange: 0) }
        #expect(throws: SSIMError.invalidConstants(k1: .infinity, k2: 0.03)) { try MSSSIMLoss(k: (.infinity, 0.03)) }
    }

    /// The messages are the ones these errors had as `invalidArgument(String)`, word for word.
    @Test func theNewCasesKeepTheirMessages() {
        #expect(
            SSIMError.invalidSigma(-1).description
                == "sigma -1.0 must be finite and positive: the Gaussian window's standard deviation in pixels, e.g. 1.5")
        #expect(
            SSIMError.sampleCovarianceNeedsLargerWindow(windowSize: 1).description
                == "the sample covariance divides by N - 1 = 0 for a 1-tap window; use a window size of 3 or more, or covariance 'population'")
        #expect(
            SSIMError.invalidConstant(name: "k1", value: -1).description
                == "k1 -1.0 must be finite and not negative (the usual values are k1 = 0.01, k2 = 0.03)")
        #expect(
            SSIMError.degenerateDataRange(0).description
                == "the data range taken from the inputs (max - min) is 0.0: the images are constant or not finite; set dataRange to .value(L), e.g. 1 for [0, 1] data"
        )
        #expect(
            SSIMError.grayscaleNeedsThreeChannels(shape: [1, 2, 4, 4], conversion: .matlabRGB2Gray).description
                == "grayscale conversion 'matlabRGB2Gray' needs RGB images with 3 channels; shape [1, 2, 4, 4] has 2; use grayscale 'none' for other images")
        #expect(
            SSIMError.imageTooSmallForBorder(shape: [1, 1, 4, 4], windowSize: 11, border: .symmetric).description
                == "shape [1, 1, 4, 4] is too small for window size 11 with padding 'same' and border 'symmetric': every image axis must be at least 5 long; use a smaller window or border 'replicate'"
        )
        #expect(
            SSIMError.invalidDataRange(-2).description
                == "dataRange -2.0 must be finite and positive: the range of the pixels, 1 for [0, 1] data, 255 for 8-bit")
        #expect(
            SSIMError.invalidConstants(k1: .nan, k2: 0.03).description
                == "k (nan, 0.03) must be finite: the constants (K1, K2) of C1 = (K1 L)^2, C2 = (K2 L)^2, usually (0.01, 0.03)")
    }

    @Test func theModulesNameTheirRangeDataRange() throws {
        #expect(try SSIM(windowSize: 7, maxValue: 255).dataRange == .value(255))
        #expect(try SSIMLoss(options: .torchmetrics).dataRange == .inputSpan)
        #expect(try SSIM3D(windowSize: 5, maxValue: 2).dataRange == 2)
        #expect(try SSIM3DLoss(windowSize: 5, maxValue: 3).dataRange == 3)
        #expect(try MSSSIMLoss(dataRange: 255).dataRange == 255)
    }

    /// The old spelling stays, deprecated; a range taken from the inputs is `nil`, not NaN.
    @available(*, deprecated, message: "exercises the deprecated maxValue")
    @Test func theDeprecatedMaxValueIsNilForARangeFromTheInputs() throws {
        #expect(try SSIM(options: .torchmetrics).maxValue == nil)
        #expect(try SSIMLoss(options: .torchmetrics).maxValue == nil)
        #expect(try SSIMLoss(windowSize: 11, maxValue: 255).maxValue == 255)
        #expect(try SSIM3D(windowSize: 5, maxValue: 2).maxValue == 2)
    }

    /// Code written once over ``ImageComparison`` takes every module, with the module's numbers.
    @Test func everyModuleIsAnImageComparison() throws {
        func mean<C: ImageComparison>(_ comparison: C, _ a: Tensor<Double>, _ b: Tensor<Double>) throws -> Double {
            try comparison(a, b).mean().scalar
        }
        let other: Tensor<Double> = randomTensor([1, 3, 12, 12], seed: 133)
        #expect(try mean(SSIM(options: .kornia), image, other) == (try ssim(image, other, options: .kornia).mean().scalar))
        #expect(try mean(SSIMLoss(windowSize: 7), image, other) == (try ssimLoss(image, other, windowSize: 7).scalar))
        #expect(try mean(MSSSIMLoss(), image, other) == (try MSSSIMLoss()(image, other).scalar))
        let v1: Tensor<Double> = randomTensor([1, 1, 6, 7, 8], seed: 134), v2: Tensor<Double> = randomTensor([1, 1, 6, 7, 8], seed: 135)
        #expect(try mean(SSIM3D(windowSize: 3), v1, v2) == (try ssim3D(v1, v2, windowSize: 3).mean().scalar))
        #expect(try mean(SSIM3DLoss(windowSize: 3), v1, v2) == (try ssim3DLoss(v1, v2, windowSize: 3).scalar))
    }

    @Test func msssimLossEqualityCoversEveryOption() throws {
        let a = try MSSSIMLoss(), b = try MSSSIMLoss()
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(try a != MSSSIMLoss(k: (0.01, 0.04)))
        #expect(try a != MSSSIMLoss(masks: .exact))
        #expect(try a != MSSSIMLoss(reduction: .sum))
    }

    /// 2^40 Floats (4 TiB) fit the address space but no machine here: a typed error, not a trap.
    @Test func aTensorTheSystemCannotBackThrows() {
        let reason = "its 1099511627776 elements (4398046511104 bytes) are more memory than the system grants; use a smaller shape"
        #expect(throws: SSIMError.invalidShape([1 << 20, 1 << 20], reason: reason)) {
            try Tensor<Float>(shape: [1 << 20, 1 << 20], repeating: 0)
        }
    }
}
