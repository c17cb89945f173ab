import Testing
@testable import StructuralSimilarity

/// The worst mean-SSIM errors of each convention over the golden cases, printed for the record
/// (the README's table quotes them; the per-case tests hold each case to its bar).
@Suite struct ConventionParitySummaryTests {
    @Test func worstMeanErrorPerConvention() throws {
        var double: [String: Double] = [:], float: [String: Double] = [:], tensorflow = 0.0
        for check in ConventionFixtures.checks {
            let options = check.result.resolvedOptions(), name = check.result.convention
            let (xd, yd) = check.testCase.images(Double.self)
            let (xf, yf) = check.testCase.images(Float.self)
            let meanDouble = try ssim(xd, yd, options: options).mean().scalar
            let meanFloat = Double(try ssim(xf, yf, options: options).mean().scalar)
            double[name] = max(double[name] ?? 0, abs(meanDouble - check.result.mean))
            float[name] = max(float[name] ?? 0, abs(meanFloat - check.result.mean))
            if let tf = check.result.peerFloat32Mean { tensorflow = max(tensorflow, abs(meanDouble - tf)) }
        }
        for name in SSIMConvention.allCases.map(\.rawValue) {
            print("convention \(name): worst |mean SSIM error| Double \(double[name] ?? .nan), Float \(float[name] ?? .nan)")
        }
        print("TensorFlow's own float32 mean vs ours in Double: worst \(tensorflow)")
        for check in ConventionFixtures.checks {
            guard let expected = check.result.meanGradient1 else { continue }
            let (x, y) = check.testCase.images(Double.self)
            let (_, lossGradient) = try ssimLossWithGradient(x, y, options: check.result.resolvedOptions())
            let error = maxAbsoluteDifference(lossGradient.scalars.map { -2 * $0 }, expected) / maxMagnitude(expected)
            print("gradient of the mean SSIM vs torch autograd, \(check.result.convention): \(error) of max |g|")
        }
        #expect(double.values.allSatisfy { $0 <= 1e-7 } && float.values.allSatisfy { $0 <= 1e-5 } && tensorflow <= 1e-5)
    }
}
