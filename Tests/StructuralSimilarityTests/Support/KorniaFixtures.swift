import Foundation
import Testing
@testable import StructuralSimilarity

/// One golden case written by `Scripts/make_kornia_fixtures.py` from Kornia 0.9.0.
struct KorniaCase: Decodable, CustomTestStringConvertible, Sendable {
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
    let float32: KorniaResults
    /// The exact gradient of the loss with respect to `img1`, for 1-tap windows only.
    let exactGrad1: [Double]?

    /// The gradient to measure against: the exact one where the script could compute it,
    /// Kornia's float64 elsewhere.
    var referenceGrad1: [Double] { exactGrad1 ?? float64.grad1 }

    var testDescription: String { name }
    var paddingOption: Padding { Padding(rawValue: padding)! }
    var reductionOption: Reduction { Reduction(rawValue: reduction)! }
    /// Data far outside [0, maxValue], where float arithmetic loses digits.
    var isOffset: Bool { kind == "offset" }
    /// Data on which Float is held to "no worse than Kornia's float32" rather than an absolute bar.
    var isHard: Bool { ["offset", "near-identical", "constant", "identical", "black"].contains(kind) }

    func images<Scalar: SSIMScalar>(_ type: Scalar.Type) throws -> (Tensor<Scalar>, Tensor<Scalar>) {
        (
            try Tensor(shape: shape, scalars: img1.map { Scalar($0) }),
            try Tensor(shape: shape, scalars: img2.map { Scalar($0) })
        )
    }

    var outputShape: [Int] {
        let half = windowSize / 2
        return paddingOption == .same ? shape : [shape[0], shape[1], shape[2] - 2 * half, shape[3] - 2 * half]
    }
}

enum KorniaFixtures {
    private struct File: Decodable { let kornia: String; let cases: [KorniaCase] }

    /// Every case of `Fixtures/kornia_ssim.json`.
    static let cases: [KorniaCase] = {
        let file: File = decodeFixture("kornia_ssim", writtenBy: "Scripts/make_kornia_fixtures.py")
        return file.cases
    }()
}
