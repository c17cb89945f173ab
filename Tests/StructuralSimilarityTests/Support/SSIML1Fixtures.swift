import Foundation
import Testing
@testable import StructuralSimilarity

/// The fixture of the fused SSIM + L1 losses (`Fixtures/ssim_l1.json`, written by
/// `Scripts/make_ssim_l1_fixtures.py`): 3D Gaussian splatting's and monodepth2's loss code run
/// with torch in float64 on generated pairs, with torch autograd gradients.
let ssimL1Fixture: SeededFixtureFile<SSIML1Case> = decodeFixture("ssim_l1", writtenBy: "Scripts/make_ssim_l1_fixtures.py")

/// One preset on one input: the mean loss and its gradient with respect to the prediction, the
/// per-pixel loss and the gradients of `sum(w * loss)` with respect to both images.
struct SSIML1Case: Decodable, Sendable, CustomTestStringConvertible {
    let preset: String
    let input: String
    let loss: Double
    let lossGradX: [Double]
    let pixelLoss: [Double]
    let weightedGradX: [Double]
    let weightedGradY: [Double]

    var testDescription: String { "\(preset) \(input)" }

    /// The preset of ``SSIML1Loss`` the case checks.
    var criterion: SSIML1Loss { preset == "gaussianSplatting" ? .gaussianSplatting : .monodepth2 }

    /// The pair and the weights of the per-pixel loss's upstream.
    func tensors<Scalar: SSIMScalar>(_: Scalar.Type) -> (x: Tensor<Scalar>, y: Tensor<Scalar>, weights: Tensor<Scalar>) {
        ssimL1Fixture.tensors(input, Scalar.self)
    }
}
