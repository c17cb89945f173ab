import Foundation
import Testing
@testable import StructuralSimilarity

/// One result of `Scripts/make_convention_fixtures.py`: a convention with option overrides,
/// the peer call it stands for, and the mean SSIM (and sometimes the map) to reproduce.
struct ConventionResult: Decodable, Sendable {
    /// Option overrides as the script writes them (numbers or strings).
    enum Value: Decodable, Sendable {
        case number(Double), text(String)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
        var number: Double { if case let .number(n) = self { return n }; fatalError("not a number: \(self)") }
        var text: String { if case let .text(t) = self { return t }; fatalError("not a string: \(self)") }
    }

    let convention: String
    let options: [String: Value]
    let peer: String
    /// "peer" (the library itself, float64) or "reference" (the script's float64 reference of a
    /// documented definition).
    let source: String
    let mean: Double
    let map: [Double]?
    let mapShape: [Int]?
    /// TensorFlow's own float32 mean (it computes in float32 only).
    let peerFloat32Mean: Double?
    /// torch autograd's gradient of the peer's mean SSIM with respect to the first image (the
    /// torch peers, on one small case).
    let meanGradient1: [Double]?

    /// The preset with the overrides applied.
    func resolvedOptions() -> SSIMOptions {
        var o = SSIMConvention(rawValue: convention)!.options
        for (key, value) in options {
            switch key {
            case "dataRange": if case .text("span") = value { o.dataRange = .inputSpan } else { o.dataRange = .value(value.number) }
            case "window":
                let sigma = o.sigma ?? 1.5
                switch value.text {
                case "uniform": o.window = .uniform
                case "gaussianFloat32": o.window = .gaussianFloat32(sigma: sigma)
                default: o.window = .gaussian(sigma: sigma)
                }
            case "sigma": o.sigma = value.number
            case "windowSize": o.windowSize = Int(value.number)
            case "border": o.border = Border(rawValue: value.text)!
            case "padding": o.padding = Padding(rawValue: value.text)!
            case "covariance": o.covariance = Covariance(rawValue: value.text)!
            case "k1": o.k1 = value.number
            case "k2": o.k2 = value.number
            case "eps": o.eps = value.number
            case "downsampling": o.downsampling = Downsampling(rawValue: value.text)!
            case "grayscale": o.grayscale = GrayscaleConversion(rawValue: value.text)!
            default: fatalError("unknown option \(key)")
            }
        }
        return o
    }
}

/// One pair of images of the conventions fixture, with its results.
struct ConventionCase: Decodable, Sendable {
    struct Generated: Decodable, Sendable { let seedX: UInt64; let seedY: UInt64; let mix: Double }
    let name: String
    let shape: [Int]
    let x: [Double]?
    let y: [Double]?
    let generated: Generated?
    /// The sums of the generated images, to check that Swift generates what Python did.
    let sums: [Double]?
    let results: [ConventionResult]

    /// The images: the stored float32 values, or SplitMix64 images as the script generates them.
    func images<Scalar: SSIMScalar>(_ type: Scalar.Type) -> (Tensor<Scalar>, Tensor<Scalar>) {
        let (a, b) = doubleImages()
        return (try! Tensor(shape: shape, scalars: a.map { Scalar($0) }), try! Tensor(shape: shape, scalars: b.map { Scalar($0) }))
    }

    func doubleImages() -> ([Double], [Double]) {
        if let x, let y { return (x, y) }
        let g = generated!
        let a: Tensor<Float> = randomTensor(shape, seed: g.seedX)
        let r: Tensor<Float> = randomTensor(shape, seed: g.seedY)
        let xs = a.scalars.map { Double($0) }
        let ys = zip(xs, r.scalars).map { Double(Float(g.mix * $0 + (1 - g.mix) * Double($1))) }
        return (xs, ys)
    }
}

/// A case and one of its results: the argument of a parameterised test.
struct ConventionCheck: CustomTestStringConvertible, Sendable {
    let testCase: ConventionCase
    let result: ConventionResult
    var testDescription: String {
        let overrides = result.options.keys.sorted().map { "\($0)" }.joined(separator: ",")
        return "\(testCase.name) \(result.convention) [\(overrides)]"
    }
}

enum ConventionFixtures {
    private struct File: Decodable { let versions: [String: String?]; let cases: [ConventionCase] }

    private static let file: File = decodeFixture("conventions", writtenBy: "Scripts/make_convention_fixtures.py")

    static var cases: [ConventionCase] { file.cases }
    static var versions: [String: String?] { file.versions }

    /// Every (case, result) pair.
    static let checks: [ConventionCheck] = file.cases.flatMap { c in c.results.map { ConventionCheck(testCase: c, result: $0) } }
}
