/// The errors thrown for input the SSIM functions cannot compute on. Each message names the
/// offending value and says how to fix it.
///
/// ```swift
/// do { _ = try ssim(x, y, windowSize: 10) }
/// catch let error as SSIMError { print(error) }   // "window size 10 is even; ..."
/// ```
public enum SSIMError: Error, Equatable, Sendable {
    /// A shape with a negative axis, or whose element count overflows `Int`.
    case invalidShape([Int], reason: String)
    /// `scalars.count` differs from the product of `shape`.
    case scalarCountMismatch(shape: [Int], expected: Int, actual: Int)
    /// An input's rank is not the one the function takes (4 for images, 5 for volumes).
    case rankMismatch(argument: String, shape: [Int], expected: Int)
    /// The two inputs' shapes differ.
    case shapeMismatch([Int], [Int])
    /// An input has an axis of length zero.
    case emptyInput(argument: String, shape: [Int])
    /// The window size is even or below 1.
    case invalidWindowSize(Int)
    /// An image axis is too short for the window with the chosen padding.
    case imageTooSmall(shape: [Int], windowSize: Int, padding: Padding)
    /// `maxValue` (the dynamic range) is not finite or not positive.
    case invalidMaxValue(Double)
    /// `eps` is negative or not finite.
    case invalidEps(Double)
    /// An image axis is too short for the window with padding `same` and a border other than
    /// reflect (symmetric needs `windowSize / 2` pixels, replicate and zero one).
    case imageTooSmallForBorder(shape: [Int], windowSize: Int, border: Border)
    /// A Gaussian window's sigma is not finite and positive.
    case invalidSigma(Double)
    /// The sample covariance (``Covariance/sample``) with a 1-tap window, which divides by 0.
    case sampleCovarianceNeedsLargerWindow(windowSize: Int)
    /// `k1` or `k2` of ``SSIMOptions`` is negative or not finite.
    case invalidConstant(name: String, value: Double)
    /// An exponent of ``SSIMExponents`` is negative or not finite.
    case invalidExponent(name: String, value: Double)
    /// A constant of ``SSIMRegularizationConstants`` is negative or not finite.
    case invalidRegularizationConstant(name: String, value: Double)
    /// A weight of ``SSIML1Loss`` is negative or not finite.
    case invalidLossWeight(name: String, value: Double)
    /// A data range taken from the inputs (``DataRange/inputSpan``) is 0 or not finite: the
    /// images are constant, or hold NaN or infinity.
    case degenerateDataRange(Double)
    /// A grayscale conversion (``GrayscaleConversion``) of images without 3 channels.
    case grayscaleNeedsThreeChannels(shape: [Int], conversion: GrayscaleConversion)
    /// ``MSSSIMLoss``'s `dataRange` is not finite and positive.
    case invalidDataRange(Double)
    /// ``MSSSIMLoss``'s `k` is not finite.
    case invalidConstants(k1: Double, k2: Double)
    /// Another option out of its range; the message names it. Kept for source compatibility: no
    /// function of this library throws it any more, each such error has a case of its own above.
    case invalidArgument(String)
    /// MS-SSIM's `sigmas` are empty, or one is not finite and positive, or above 64.
    case invalidSigmas([Double])
    /// MS-SSIM's `alpha` is outside `[0, 1]`.
    case invalidAlpha(Double)
    /// MS-SSIM's `compensation` is not finite.
    case invalidCompensation(Double)
    /// Two image batches whose shapes do not broadcast: `(C, H, W)` differ, or the batch sizes
    /// differ and neither is 1.
    case unbroadcastableShapes([Int], [Int])
    /// Wang's MS-SSIM: the weights are empty or one is not finite and non-negative.
    case invalidWeights([Double])
    /// Wang's MS-SSIM: the images are too small for the window at the coarsest of `scales` scales
    /// under the options' halving rule; `minimum` is the smallest spatial size that works.
    case imageTooSmallForScales(shape: [Int], scales: Int, windowSize: Int, minimum: Int)
    /// Masked SSIM: the weights are not `(B, 1, H, W)` or `(B, C, H, W)` for images `(B, C, H, W)`.
    case weightShapeMismatch(weights: [Int], images: [Int])
    /// Masked SSIM: a weight is outside [0, 1] (or NaN).
    case weightOutOfRange(Double)
    /// Masked SSIM: every weight of the output region is 0, so there is nothing to average.
    case zeroWeights(shape: [Int], padding: Padding)
    /// Masked SSIM with options that convert to grayscale or downsample (the weights would need
    /// the same transformation, which is not defined).
    case weightsNeedNoPreprocessing
    /// Masked SSIM with MATLAB's general form (exponents other than 1, or regularization constants
    /// of their own): the weighted kernels compute the standard form only.
    case weightsNeedStandardForm
}

extension SSIMError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidShape(shape, reason):
            return "invalid shape \(shape): \(reason)"
        case let .scalarCountMismatch(shape, expected, actual):
            return "shape \(shape) holds \(expected) elements but \(actual) scalars were given; "
                + "pass exactly the product of the shape, in row-major order"
        case let .rankMismatch(argument, shape, expected):
            let layout = expected == 5 ? "(B, C, D, H, W)" : "(B, C, H, W)"
            return "\(argument) has shape \(shape) (rank \(shape.count)); expected a rank-\(expected) "
                + "\(layout) tensor; add the missing axes of length 1, e.g. shape "
                + "\(Array(repeating: 1, count: max(0, expected - shape.count)) + shape)"
        case let .shapeMismatch(a, b):
            return "the two inputs' shapes differ: \(a) and \(b); SSIM compares images of the same shape"
        case let .emptyInput(argument, shape):
            return "\(argument) has shape \(shape) with an axis of length 0; every axis needs at least one element"
        case let .invalidWindowSize(size):
            let hint = size < 1 ? "a positive odd number such as 11" : "an odd number such as \(size + 1) or \(size - 1)"
            return "window size \(size) is \(size < 1 ? "below 1" : "even"); use \(hint)"
        case let .imageTooSmall(shape, windowSize, padding):
            let half = windowSize / 2
            switch padding {
            case .same:
                return "shape \(shape) is too small for window size \(windowSize) with padding 'same': "
                    + "the reflect border needs every image axis longer than \(half) (window size / 2); "
                    + "use a window size of at most \(Self.largestWindow(forShortestAxis: Self.shortestSpatialAxis(shape), padding: .same))"
            case .valid:
                return "shape \(shape) is too small for window size \(windowSize) with padding 'valid': "
                    + "every image axis must be at least \(windowSize) long; use a window size of at most "
                    + "\(Self.largestWindow(forShortestAxis: Self.shortestSpatialAxis(shape), padding: .valid)) or padding 'same'"
            }
        case let .invalidMaxValue(value):
            return "maxValue \(value) must be finite and positive: the dynamic range of the pixels, 1 for [0, 1] data, 255 for 8-bit"
        case let .invalidEps(value):
            return "eps \(value) must be finite and not negative (Kornia's default is 1e-12)"
        case let .imageTooSmallForBorder(shape, windowSize, border):
            return "shape \(shape) is too small for window size \(windowSize) with padding 'same' and border '\(border.rawValue)': "
                + "every image axis must be at least \(border.smallestAxis(windowSize: windowSize)) long; use a smaller window or border 'replicate'"
        case let .invalidSigma(sigma):
            return "sigma \(sigma) must be finite and positive: the Gaussian window's standard deviation in pixels, e.g. 1.5"
        case .sampleCovarianceNeedsLargerWindow:
            return "the sample covariance divides by N - 1 = 0 for a 1-tap window; use a window size of 3 or more, or covariance 'population'"
        case let .invalidConstant(name, value):
            return "\(name) \(value) must be finite and not negative (the usual values are k1 = 0.01, k2 = 0.03)"
        case let .invalidExponent(name, value):
            return "exponent \(name) \(value) must be finite and not negative (1 for the usual SSIM, 0 to drop its term)"
        case let .invalidRegularizationConstant(name, value):
            return "regularization constant \(name) \(value) must be finite and not negative (MATLAB's defaults: (0.01 L)^2, (0.03 L)^2 and C2 / 2)"
        case let .invalidLossWeight(name, value):
            return "\(name) \(value) must be finite and not negative (3D Gaussian splatting: ssimWeight 0.2, l1Weight 0.8)"
        case let .degenerateDataRange(range):
            return
                "the data range taken from the inputs (max - min) is \(range): the images are constant or not finite; set dataRange to .value(L), e.g. 1 for [0, 1] data"
        case let .grayscaleNeedsThreeChannels(shape, conversion):
            return
                "grayscale conversion '\(conversion.rawValue)' needs RGB images with 3 channels; shape \(shape) has \(shape[1]); use grayscale 'none' for other images"
        case let .invalidDataRange(value):
            return "dataRange \(value) must be finite and positive: the range of the pixels, 1 for [0, 1] data, 255 for 8-bit"
        case let .invalidConstants(k1, k2):
            return "k \((k1, k2)) must be finite: the constants (K1, K2) of C1 = (K1 L)^2, C2 = (K2 L)^2, usually (0.01, 0.03)"
        case let .invalidArgument(message):
            return message
        case let .invalidSigmas(sigmas):
            return "sigmas \(sigmas) must be a non-empty list of finite, positive values of at most 64 "
                + "(the Gaussian scales in pixels, the coarsest last, e.g. [0.5, 1, 2, 4, 8])"
        case let .invalidAlpha(value):
            return "alpha \(value) must lie in [0, 1]: the weight of the MS-SSIM term (the L1 term gets 1 - alpha; Kornia's default is 0.025)"
        case let .invalidCompensation(value):
            return "compensation \(value) must be finite: the factor the whole loss is multiplied by (Kornia's default is 200)"
        case let .unbroadcastableShapes(a, b):
            return "the two inputs' shapes \(a) and \(b) do not broadcast: (C, H, W) must be equal and the batch sizes "
                + "equal or one of them 1 (that image is then compared with every image of the other batch)"
        case let .invalidWeights(weights):
            return "weights \(weights) must be a non-empty list of finite, non-negative values, one per scale "
                + "(Wang's five are [0.0448, 0.2856, 0.3001, 0.2363, 0.1333])"
        case let .imageTooSmallForScales(shape, scales, windowSize, minimum):
            return "shape \(shape) is too small for \(scales) scales of multi-scale SSIM with a \(windowSize)-tap window: "
                + "every spatial axis must be at least \(minimum) (each scale halves the images); "
                + "use fewer weights (e.g. options.weights = Array(options.weights.prefix(3))) or a smaller window"
        case let .weightShapeMismatch(weights, images):
            return "the weights have shape \(weights); images of shape \(images) take weights of shape "
                + "\([images[0], 1] + images.suffix(2)) (one map for every channel) or \(images) (one per channel)"
        case let .weightOutOfRange(value):
            return "weight \(value) is outside [0, 1]: a mask holds 0 (ignore the pixel) to 1 (count it fully); "
                + "rescale the mask (an 8-bit mask divided by 255), and give NaN pixels weight 0 with ignoringNaN"
        case let .zeroWeights(shape, padding):
            return "every weight \(padding == .valid ? "of the output region (padding 'valid' crops the borders) " : "")"
                + "of the weights \(shape) is 0: the masked SSIM has no pixel to average; give some pixels a positive weight"
        case .weightsNeedNoPreprocessing:
            return "weights cannot be combined with a grayscale conversion or downsampling (the mask would need the same "
                + "transformation); convert or pool the images and the mask first, and use grayscale 'none' and downsampling 'none'"
        case .weightsNeedStandardForm:
            return "weights cannot be combined with MATLAB's general form (exponents other than 1, 1, 1 or regularization "
                + "constants of their own): the masked SSIM is the standard form; remove the exponents and constants, or the weights"
        }
    }

    /// The shortest of the spatial axes: the last two of an image, the last three of a volume.
    static func shortestSpatialAxis(_ shape: [Int]) -> Int {
        shape.suffix(shape.count == 5 ? 3 : 2).min() ?? 1
    }

    /// The largest odd window a `(…, n)` image accepts with the given padding.
    static func largestWindow(forShortestAxis n: Int, padding: Padding) -> Int {
        switch padding {
        case .same: return 2 * (n - 1) + 1  // window / 2 <= n - 1
        case .valid: return n % 2 == 1 ? n : n - 1  // window <= n
        }
    }
}
