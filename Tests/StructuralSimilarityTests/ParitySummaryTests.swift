import Testing
@testable import StructuralSimilarity

/// One line of figures over all golden cases, printed for the record (the per-case tests hold
/// each case to its bar; this checks the worst case of each figure against the same bars).
@Suite struct ParitySummaryTests {
    @Test func worstErrorsOverAllCases() throws {
        var mapDouble = 0.0, lossDouble = 0.0, mapFloat = 0.0, korniaMapFloat = 0.0
        var gradDouble = 0.0, gradFloat = 0.0
        for c in KorniaFixtures.cases where !c.isOffset {
            let (xd, yd) = try c.images(Double.self)
            let (xf, yf) = try c.images(Float.self)
            let padding = c.paddingOption, reduction = c.reductionOption
            mapDouble = max(
                mapDouble,
                maxAbsoluteDifference(
                    try ssim(xd, yd, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, padding: padding).scalars, c.float64.map))
            let loss = try ssimLoss(xd, yd, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, reduction: reduction, padding: padding)
            let scale = reduction == .none ? 1 : max(abs(c.float64.loss[0]), 1e-300)
            if c.kind != "identical" { lossDouble = max(lossDouble, maxAbsoluteDifference(loss.scalars, c.float64.loss) / scale) }
            mapFloat = max(
                mapFloat,
                maxAbsoluteDifference(
                    try ssim(xf, yf, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps), padding: padding).scalars, c.float64.map))
            korniaMapFloat = max(korniaMapFloat, maxAbsoluteDifference(c.float32.map, c.float64.map))
            let reference = c.referenceGrad1, gradScale = max(maxMagnitude(reference), 1e-300)
            if c.kind != "identical" {
                gradDouble = max(
                    gradDouble,
                    maxAbsoluteDifference(
                        try ssimLossWithGradient(
                            xd, yd, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, reduction: reduction, padding: padding
                        ).gradient.scalars, reference) / gradScale)
                gradFloat = max(
                    gradFloat,
                    maxAbsoluteDifference(
                        try ssimLossWithGradient(
                            xf, yf, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps), reduction: reduction, padding: padding
                        ).gradient.scalars, reference) / gradScale)
            }
        }
        print(
            "parity over the non-offset golden cases: map Double \(mapDouble), loss Double (relative) \(lossDouble), "
                + "map Float \(mapFloat) (Kornia float32 \(korniaMapFloat)), gradient Double (of max |g|) \(gradDouble), gradient Float \(gradFloat)")
        #expect(mapDouble <= 1e-10 && lossDouble <= 1e-10 && mapFloat <= 1e-5 && gradDouble <= 1e-9 && gradFloat <= 1e-4)
    }
}

/// The same figures over the 3-D golden cases (Kornia 0.9.0's `ssim3d`), the reduced loss
/// measured against the 40-digit exact loss.
@Suite struct Parity3DSummaryTests {
    @Test func worstErrorsOverAll3DCases() throws {
        var mapDouble = 0.0, lossDouble = 0.0, mapFloat = 0.0, lossFloat = 0.0, gradDouble = 0.0, gradFloat = 0.0
        for c in Kornia3DFixtures.cases {
            let (xd, yd) = try c.volumes(Double.self)
            let (xf, yf) = try c.volumes(Float.self)
            let padding = c.paddingOption, reduction = c.reductionOption
            mapDouble = max(
                mapDouble,
                maxAbsoluteDifference(
                    try ssim3D(xd, yd, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, padding: padding).scalars, c.float64.map))
            mapFloat = max(
                mapFloat,
                maxAbsoluteDifference(
                    try ssim3D(xf, yf, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps), padding: padding).scalars, c.float64.map))
            let scale = reduction == .none ? 1 : max(abs(c.exactLoss[0]), 1e-300)
            let (lossD, gradD) = try ssim3DLossWithGradient(
                xd, yd, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, reduction: reduction, padding: padding)
            let (lossF, gradF) = try ssim3DLossWithGradient(
                xf, yf, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps), reduction: reduction, padding: padding)
            let gradScale = max(maxMagnitude(c.float64.grad1), 1e-300)
            if c.kind != "identical" {
                lossDouble = max(lossDouble, maxAbsoluteDifference(lossD.scalars, c.exactLoss) / scale)
                lossFloat = max(lossFloat, maxAbsoluteDifference(lossF.scalars, c.exactLoss) / scale)
                gradDouble = max(gradDouble, maxAbsoluteDifference(gradD.scalars, c.float64.grad1) / gradScale)
                gradFloat = max(gradFloat, maxAbsoluteDifference(gradF.scalars, c.float64.grad1) / gradScale)
            }
        }
        print(
            "3-D parity over the golden cases: map Double \(mapDouble), loss Double (relative to exact) \(lossDouble), "
                + "map Float \(mapFloat), loss Float (relative) \(lossFloat), gradient Double (of max |g|) \(gradDouble), gradient Float \(gradFloat)")
        #expect(mapDouble <= 1e-10 && lossDouble <= 1e-10 && mapFloat <= 1e-5 && gradDouble <= 1e-9 && gradFloat <= 1e-4)
    }
}
