import Foundation
import Testing
@testable import StructuralSimilarity

/// The fixture of Wang's multi-scale SSIM (`Fixtures/wang_msssim.json`, written by
/// `Scripts/make_wang_msssim_fixtures.py`): the peers' float64 and float32 results and torch
/// autograd gradients on stored and generated image pairs. Its layout is described in
/// `Documentation/WangMSSSIMReference.md`.
struct WangMSSSIMFile: Decodable, Sendable {
    struct StoredInput: Decodable, Sendable {
        let id: String
        let shape: [Int]
        let scale: Double
        let codes: String
        let x: String
        let y: String
        let sumX: Double
        let sumY: Double
    }
    let inputs: [StoredInput]
    let generatedInputs: [GeneratedInput]
    let cases: [WangMSSSIMCase]

    static let shared: WangMSSSIMFile = {
        guard let url = Bundle.module.url(forResource: "wang_msssim", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else { fatalError("Fixtures/wang_msssim.json is missing: run Scripts/make_wang_msssim_fixtures.py") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(WangMSSSIMFile.self, from: data) } catch { fatalError("Fixtures/wang_msssim.json: \(error)") }
    }()

    /// The two images of input `id` in Double (every value is a float32 exactly) and their shape.
    func images(_ id: String) -> (shape: [Int], x: [Double], y: [Double], sums: (Double, Double)) {
        if let stored = inputs.first(where: { $0.id == id }) {
            func decode(_ text: String) -> [Double] {
                let bytes = [UInt8](Data(base64Encoded: text)!)
                if stored.codes == "u8" { return bytes.map { Double($0) * stored.scale } }
                return stride(from: 0, to: bytes.count, by: 2).map { Double(UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) * stored.scale }
            }
            return (stored.shape, decode(stored.x), decode(stored.y), (stored.sumX, stored.sumY))
        }
        let g = generatedInputs.first { $0.id == id }!
        let (xs, ys) = g.images()
        return (g.shape, xs, ys, (g.sumX, g.sumY))
    }
}

/// A value of the fixture's `options` that is a number, a list, or words.
enum LooseValue: Decodable, Sendable {
    case number(Double)
    case numbers([Double])
    case text(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let numbers = try? container.decode([Double].self) {
            self = .numbers(numbers)
        } else {
            self = .text(try container.decode(String.self))
        }
    }
}

/// One case: a preset (with the case's window, data range and weights) on one input.
struct WangMSSSIMCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Gradient: Decodable, Sendable {
        let samples: [Double]
        let maxAbs: Double
        let sum: Double
        let sumAbs: Double
        let dotInput: Double
    }
    struct Gradients: Decodable, Sendable {
        struct Pair: Decodable, Sendable { let x: Gradient; let y: Gradient }
        let sum: Pair
        let meanLoss: Pair
    }
    struct FiniteDifferences: Decodable, Sendable {
        let h: Double
        let pixels: [Int]
        let sumGradientX: [Double]
    }
    let name: String
    let preset: String
    let input: String
    let call: String
    let options: [String: LooseValue]
    let float64: [Double]?
    let peerFloat32: [Double]?
    let float64ExactWindow: [Double]?
    let pixels: [Int]?
    let gradients: Gradients?
    /// TensorFlow's cases: the gradients of the re-implementation with the exact Gaussian.
    let gradientsExactWindow: Gradients?
    /// torchmetrics' cases: the re-implementation's gradients, exact for its float32-rounded
    /// betas (torch's pow backward takes `beta - 1` in float32, up to ~1e-7 off where a term is
    /// far from 1).
    let gradientsExactExponents: Gradients?
    let finiteDifferences: FiniteDifferences?
    let error: String?

    var testDescription: String { name }

    /// The preset with the case's window, constants, data range and weights.
    var multiScaleOptions: MultiScaleSSIMOptions {
        var o: MultiScaleSSIMOptions
        switch preset {
        case "wang": o = .wang
        case "tensorflow": o = .tensorflow
        case "pytorchMSSSIM": o = .pytorchMSSSIM
        case "torchmetrics": o = .torchmetrics
        case "torchmetricsSimple": o = .torchmetrics; o.clamping = .simple
        case "torchmetricsNone": o = .torchmetrics; o.clamping = .none
        case "piq": o = .piq
        default: fatalError("unknown preset \(preset)")
        }
        if case let .number(size) = options["windowSize"] { o.windowSize = Int(size) }
        if case let .number(sigma) = options["sigma"] {
            o.window = preset == "pytorchMSSSIM" ? .gaussianFloat32(sigma: sigma) : .gaussian(sigma: sigma)
        }
        if case let .number(k1) = options["k1"] { o.k1 = k1 }
        if case let .number(k2) = options["k2"] { o.k2 = k2 }
        // The range: a number, "batchSpan" (taken from the images), or (piq) in the call's words.
        if case let .number(range) = options["dataRange"] {
            o.dataRange = .value(range)
        } else if let range = call.firstMatch(of: /data_range=([0-9.]+)/).flatMap({ Double($0.1) }) {
            o.dataRange = .value(range)
        } else {
            o.dataRange = .inputSpan
        }
        if case let .numbers(weights) = options["weights"] { o.weights = weights }
        return o
    }

    /// The float64 values the Double results are held to: the peer's float64 (TensorFlow: the
    /// re-implementation with the exact Gaussian, which the preset computes; the fixture's
    /// `float64` uses TensorFlow's float32 taps).
    var expected: [Double] { float64ExactWindow ?? float64! }

    /// The torch gradients the library's are held to (TensorFlow: those of the exact Gaussian;
    /// torchmetrics: those of its exact exponents).
    var expectedGradients: Gradients? { gradientsExactWindow ?? gradientsExactExponents ?? gradients }

    /// Whether torch's gradient is the one the library computes: with a data range taken from
    /// the images, torch also differentiates through their maxima and minima, which the library
    /// holds constant.
    var gradientsComparable: Bool { expectedGradients != nil && multiScaleOptions.dataRange != .inputSpan }

    func images<Scalar: SSIMScalar>(_: Scalar.Type) throws -> (Tensor<Scalar>, Tensor<Scalar>) {
        let (shape, x, y, _) = WangMSSSIMFile.shared.images(input)
        return (try Tensor(shape: shape, scalars: x.map { Scalar($0) }), try Tensor(shape: shape, scalars: y.map { Scalar($0) }))
    }

    static let all = WangMSSSIMFile.shared.cases
    static let valued = all.filter { $0.float64 != nil }
    static let withGradients = valued.filter(\.gradientsComparable)
    static let tooSmall = all.filter { $0.error != nil }
}
