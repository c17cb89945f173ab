import Testing
@testable import StructuralSimilarity
#if canImport(_Differentiation)
import _Differentiation
#endif

/// Automatic differentiation through `MSSSIMLoss` against torch autograd through Kornia 0.9.0:
/// through the non-throwing core (every build), and through the public throwing
/// `callAsFunction` in release builds only (Swift 6.3.1 miscompiles those pullbacks in debug
/// builds; `.ci/run` runs this suite with `swift test -c release --filter GradientTests`). Both
/// images at once through the throwing API crashes the 6.3.1 compiler or the program (see
/// `Scripts/autodiff-both-images-repro.sh`), so the public test takes one image at a time.
@Suite struct MSSSIMGradientTests {
    #if canImport(_Differentiation)
    @Test(
        "Autodiff through the core equals torch autograd, both images",
        arguments: MSSSIMFixtures.cases.filter { $0.name.hasPrefix("broadcast") || $0.name == "defaults-none" })
    func autodiffCore(_ c: MSSSIMCase) throws {
        let (g1, g2) = try msssimCorePullback(c)
        #expect(maxAbsoluteDifference(g1.scalars, c.float64.grad1) <= 1e-9 * maxMagnitude(c.float64.grad1))
        #expect(maxAbsoluteDifference(g2.scalars, c.float64.grad2!) <= 1e-9 * maxMagnitude(c.float64.grad2!))
    }

    @Test(
        "Autodiff through MSSSIMLoss equals torch autograd, each image", .enabled(if: GradientTests.autodiffEnabled, GradientTests.autodiffDisabled),
        arguments: MSSSIMFixtures.cases.filter { ["defaults-mean", "defaults-none", "broadcast-first", "broadcast-second"].contains($0.name) })
    func autodiffPublic(_ c: MSSSIMCase) throws {
        let (g1, g2) = try msssimPublicGradient(c)
        #expect(maxAbsoluteDifference(g1.scalars, c.float64.grad1) <= 1e-9 * maxMagnitude(c.float64.grad1))
        #expect(maxAbsoluteDifference(g2.scalars, c.float64.grad2!) <= 1e-9 * maxMagnitude(c.float64.grad2!))
    }
    #endif
}

#if canImport(_Differentiation)
/// The pullback of the MS-SSIM core at a fixture case, seeded as torch's `backward` is.
func msssimCorePullback(_ c: MSSSIMCase) throws -> (Tensor<Double>, Tensor<Double>) {
    let (x, y) = try c.images(Double.self)
    let plan = try MultiScalePlan<Double>(x.shape, y.shape, try c.criterion())
    let (_, pullback) = valueWithPullback(at: x, y) { a, b in evaluate(a, b, plan) }
    return pullback(try backwardSeed(c.reductionOption, outputShape: c.outputShape))
}

/// The pullbacks through the public throwing `callAsFunction`, seeded as torch's `backward` is,
/// with respect to each image in turn (see ``pullbacksOfEachImage(through:at:_:seed:)``).
func msssimPublicGradient(_ c: MSSSIMCase) throws -> (Tensor<Double>, Tensor<Double>) {
    let (x, y) = try c.images(Double.self)
    return try pullbacksOfEachImage(through: try c.criterion(), at: x, y, seed: try backwardSeed(c.reductionOption, outputShape: c.outputShape))
}
#endif
