import Foundation
import Testing
@testable import StructuralSimilarity

/// One golden case written by `Scripts/make_kornia3d_fixtures.py` from Kornia 0.9.0's
/// `ssim3d`, `ssim3d_loss` and torch autograd, in float64 (the truth both scalar types are
/// measured against).
struct Kornia3DCase: Decodable, CustomTestStringConvertible, Sendable {
    let name: String
    let kind: String
    let shape: [Int]
    let windowSize: Int
    let padding: String
    let reduction: String
    let maxValue: Double
    let eps: Double
    let img1: [Double]
    let img2: [Double]
    let mapWeights: [Double]?
    let float64: KorniaResults
    /// The loss from the definition in 40-digit arithmetic (as `float64.loss`: reduced, or the
    /// loss map for `none`).
    let exactLoss: [Double]

    var testDescription: String { name }
    var paddingOption: Padding { Padding(rawValue: padding)! }
    var reductionOption: Reduction { Reduction(rawValue: reduction)! }

    func volumes<Scalar: SSIMScalar>(_ type: Scalar.Type) throws -> (Tensor<Scalar>, Tensor<Scalar>) {
        (
            try Tensor(shape: shape, scalars: img1.map { Scalar($0) }),
            try Tensor(shape: shape, scalars: img2.map { Scalar($0) })
        )
    }

    var outputShape: [Int] {
        let half = windowSize / 2
        return paddingOption == .same ? shape : Array(shape.prefix(2)) + shape.suffix(3).map { $0 - 2 * half }
    }
}

enum Kornia3DFixtures {
    private struct File: Decodable { let kornia: String; let cases: [Kornia3DCase] }

    /// Every case of `Fixtures/kornia_ssim3d.json`.
    static let cases: [Kornia3DCase] = {
        let file: File = decodeFixture("kornia_ssim3d", writtenBy: "Scripts/make_kornia3d_fixtures.py")
        return file.cases
    }()
}
