import Testing
@testable import StructuralSimilarity

/// The golden cases of the masked SSIM (`Fixtures/masked_ssim.json`, written by
/// `Scripts/make_masked_fixtures.py`): a float64 torch reference of the definition and its
/// autograd. `nil` stands for NaN (a NaN input pixel, an undefined map element).
struct MaskedCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Settings: Decodable, Sendable {
        let window: String
        let sigma: Double?
        let windowSize: Int
        let border: String
        let padding: String
        let covariance: String
        let k1: Double
        let k2: Double
        let dataRange: Double
        let eps: Double
    }
    let name: String
    let shape: [Int]
    let weightShape: [Int]
    let settings: Settings
    let ignoringNaN: Bool
    let x: [Double?]
    let y: [Double]
    let weights: [Double]
    let map: [Double?]
    let lossMap: [Double?]
    let meanSSIM: Double
    let meanLoss: Double
    let sumLoss: Double
    let lossGrad1: [Double]
    let lossGrad2: [Double]
    let meanGrad1: [Double]
    let meanGrad2: [Double]
    let sumLossGrad1: [Double]

    var testDescription: String { name }

    /// The case's settings as options.
    var options: SSIMOptions {
        SSIMOptions(
            window: settings.window == "uniform" ? .uniform : .gaussian(sigma: settings.sigma!), windowSize: settings.windowSize,
            border: Border(rawValue: settings.border)!, padding: Padding(rawValue: settings.padding)!,
            covariance: settings.covariance == "sample" ? .sample : .population, k1: settings.k1, k2: settings.k2,
            dataRange: .value(settings.dataRange), eps: settings.eps)
    }

    /// The two images and the weights in `Scalar`.
    func inputs<Scalar: SSIMScalar>(_: Scalar.Type) -> (Tensor<Scalar>, Tensor<Scalar>, Tensor<Scalar>) {
        (
            try! Tensor(shape: shape, scalars: x.map { Scalar($0 ?? .nan) }), try! Tensor(shape: shape, scalars: y.map { Scalar($0) }),
            try! Tensor(shape: weightShape, scalars: weights.map { Scalar($0) })
        )
    }
}

enum MaskedFixtures {
    struct File: Decodable { let cases: [MaskedCase] }
    static let cases: [MaskedCase] = (decodeFixture("masked_ssim", writtenBy: "Scripts/make_masked_fixtures.py") as File).cases
}
