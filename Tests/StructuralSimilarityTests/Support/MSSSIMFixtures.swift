import Foundation
import Testing
@testable import StructuralSimilarity

/// One golden case written by `Scripts/make_msssim_fixtures.py` from Kornia 0.9.0's `MS_SSIMLoss`.
struct MSSSIMCase: Decodable, CustomTestStringConvertible, Sendable {
    struct Results: Decodable, Sendable {
        let loss: [Double]
        let grad1: [Double]
        let grad2: [Double]?
    }
    struct Loss: Decodable, Sendable { let loss: [Double] }

    let name: String
    let kind: String
    let shape1: [Int]
    let shape2: [Int]
    let sigmas: [Double]
    let dataRange: Double
    let k: [Double]
    let alpha: Double
    let compensation: Double
    let reduction: String
    let img1: [Double]
    let img2: [Double]
    /// Kornia float64 (float32-rounded masks): the truth.
    let float64: Results
    /// Kornia float32.
    let float32: Results
    /// Kornia float64 with float64 masks.
    let exactMasks: Loss
    /// Kornia's float32 1-D window of every sigma.
    let korniaWindows: [[Double]]

    var testDescription: String { name }
    var reductionOption: Reduction { Reduction(rawValue: reduction)! }
    var outputShape: [Int] { [max(shape1[0], shape2[0]), shape1[2], shape1[3]] }

    func criterion(masks: MSSSIMMasks = .kornia) throws -> MSSSIMLoss {
        try MSSSIMLoss(
            sigmas: sigmas, dataRange: dataRange, k: (k[0], k[1]), alpha: alpha,
            compensation: compensation, reduction: reductionOption, masks: masks)
    }

    func images<Scalar: SSIMScalar>(_ type: Scalar.Type) throws -> (Tensor<Scalar>, Tensor<Scalar>) {
        (try Tensor(shape: shape1, scalars: img1.map { Scalar($0) }), try Tensor(shape: shape2, scalars: img2.map { Scalar($0) }))
    }
}

enum MSSSIMFixtures {
    private struct File: Decodable { let kornia: String; let cases: [MSSSIMCase] }

    /// Every case of `Fixtures/kornia_msssim.json`.
    static let cases: [MSSSIMCase] = {
        let file: File = decodeFixture("kornia_msssim", writtenBy: "Scripts/make_msssim_fixtures.py")
        return file.cases
    }()
}

/// The largest of `|a[i] - b[i]| / |b[i]|`.
func maxRelativeDifference<A: BinaryFloatingPoint>(_ a: [A], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { worst, pair in
        let d = abs(Double(pair.0) - pair.1) / abs(pair.1)
        return d.isNaN ? .infinity : max(worst, d)
    }
}
