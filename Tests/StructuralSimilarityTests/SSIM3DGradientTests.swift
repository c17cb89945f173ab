import Testing
@testable import StructuralSimilarity
#if canImport(_Differentiation)
import _Differentiation
#endif

/// The hand-derived 3-D backward against torch autograd through Kornia 0.9.0's `ssim3d_loss`,
/// against Swift's automatic differentiation, and against central finite differences.
@Suite struct SSIM3DGradientTests {
    @Test("Double 3-D gradients within 1e-9 of max |torch gradient|", arguments: Kornia3DFixtures.cases)
    func doubleBackwardParity(_ c: Kornia3DCase) throws {
        let (x, y) = try c.volumes(Double.self)
        let (value, gradient) = try ssim3DLossWithGradient(
            x, y, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps,
            reduction: c.reductionOption, padding: c.paddingOption)
        #expect(gradient.shape == c.shape)
        #expect(
            value
                == (try ssim3DLoss(
                    x, y, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps,
                    reduction: c.reductionOption, padding: c.paddingOption)))
        let scale = maxMagnitude(c.float64.grad1)
        let error = maxAbsoluteDifference(gradient.scalars, c.float64.grad1)
        #expect(error <= gradientBound(c, scale: scale), "max |error| \(error), max |gradient| \(scale)")
    }

    @Test("Float 3-D gradients within 1e-4 of max |torch float64 gradient|", arguments: Kornia3DFixtures.cases)
    func floatBackwardParity(_ c: Kornia3DCase) throws {
        let (x, y) = try c.volumes(Float.self)
        let (value, gradient) = try ssim3DLossWithGradient(
            x, y, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps),
            reduction: c.reductionOption, padding: c.paddingOption)
        #expect(
            value
                == (try ssim3DLoss(
                    x, y, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps),
                    reduction: c.reductionOption, padding: c.paddingOption)))
        let scale = maxMagnitude(c.float64.grad1)
        let error = maxAbsoluteDifference(gradient.scalars, c.float64.grad1)
        #expect(error <= max(1e-4 * scale, identicalFloor(c, Float.self)), "max |error| \(error), max |gradient| \(scale)")
    }

    /// The Double bar: 1e-9 of the largest reference gradient; on identical volumes the true
    /// gradient is ~0 and both sides are float64 noise of partials of size ~1, so 1e-13.
    func gradientBound(_ c: Kornia3DCase, scale: Double) -> Double {
        max(1e-9 * scale, identicalFloor(c, Double.self))
    }

    /// On identical volumes the gradient is rounding noise (the reference's too): a few ulps of
    /// the partials (about 1) divided by the element count for a mean.
    func identicalFloor<Scalar: SSIMScalar>(_ c: Kornia3DCase, _ type: Scalar.Type) -> Double {
        guard c.kind == "identical" else { return 0 }
        return Scalar.self == Double.self ? 1e-13 : 1e-6 / Double(c.outputShape.reduce(1, *))
    }

    @Test(
        "Finite differences agree with the 3-D backward",
        arguments: [
            (3, Padding.same, Reduction.mean), (5, .valid, .sum), (5, .same, .none), (1, .same, .mean), (3, .valid, .none),
        ])
    func finiteDifferences(windowSize: Int, padding: Padding, reduction: Reduction) throws {
        let shape = [2, 1, 6, 7, 5]
        let x: Tensor<Double> = randomTensor(shape, seed: 71)
        let y: Tensor<Double> = randomTensor(shape, seed: 72)
        let (_, gradient) = try ssim3DLossWithGradient(x, y, windowSize: windowSize, reduction: reduction, padding: padding)
        func objective(_ p: Tensor<Double>) throws -> Double {
            try ssim3DLoss(p, y, windowSize: windowSize, reduction: reduction, padding: padding).scalars.reduce(0, +)
        }
        let h = 1e-6
        for i in stride(from: 0, to: x.scalars.count, by: 11) {
            var plus = x.scalars, minus = x.scalars
            plus[i] += h; minus[i] -= h
            let numeric = (try objective(Tensor(shape: shape, scalars: plus)) - (try objective(Tensor(shape: shape, scalars: minus)))) / (2 * h)
            #expect(abs(numeric - gradient.scalars[i]) <= 1e-7, "element \(i): numeric \(numeric), backward \(gradient.scalars[i])")
        }
    }

    @Test("Finite differences across the slabs of a deep volume", arguments: [Padding.same, .valid])
    func finiteDifferencesAcrossSlabs(padding: Padding) throws {
        let shape = [1, 1, 36, 5, 6]  // slabs of slicesPerSlab (16) slices: 0..<16, 16..<32, 32..<36
        let x: Tensor<Double> = randomTensor(shape, seed: 73)
        let y: Tensor<Double> = randomTensor(shape, seed: 74)
        let (_, gradient) = try ssim3DLossWithGradient(x, y, windowSize: 5, reduction: .mean, padding: padding)
        let h = 1e-6
        for slice in [0, 1, 14, 15, 16, 17, 18, 31, 32, 35] {
            for (row, column) in [(0, 0), (2, 3), (4, 5)] {
                let i = (slice * 5 + row) * 6 + column
                var plus = x.scalars, minus = x.scalars
                plus[i] += h; minus[i] -= h
                let up = try ssim3DLoss(try Tensor(shape: shape, scalars: plus), y, windowSize: 5, padding: padding).scalar
                let down = try ssim3DLoss(try Tensor(shape: shape, scalars: minus), y, windowSize: 5, padding: padding).scalar
                #expect(abs((up - down) / (2 * h) - gradient.scalars[i]) <= 1e-8, "slice \(slice), row \(row), column \(column)")
            }
        }
    }

    #if canImport(_Differentiation)
    // As in GradientTests: the non-throwing cores that carry the registered derivatives, with
    // the arguments validated outside the differentiated closure, in every build; the public
    // throwing API only in release builds (Swift 6.3.1 debug builds miscompile pullbacks through
    // throwing differentiable functions; `.ci/run` runs these with `swift test -c release`).
    @Test("Autodiff through the 3-D loss core equals torch autograd, both volumes", arguments: Kornia3DFixtures.cases)
    func autodiffLossCore(_ c: Kornia3DCase) throws {
        let (g1, g2) = try volumeLossCorePullback(c)
        #expect(maxAbsoluteDifference(g1.scalars, c.float64.grad1) <= gradientBound(c, scale: maxMagnitude(c.float64.grad1)))
        #expect(maxAbsoluteDifference(g2.scalars, c.float64.grad2) <= gradientBound(c, scale: maxMagnitude(c.float64.grad2)))
    }

    @Test("Autodiff through the 3-D map core matches torch's weighted-sum gradient", arguments: Kornia3DFixtures.cases.filter { $0.mapWeights != nil })
    func autodiffMapCore(_ c: Kornia3DCase) throws {
        let (g1, g2) = try weightedVolumeMapCoreGradient(c)
        let r1 = c.float64.mapGrad1!, r2 = c.float64.mapGrad2!
        #expect(maxAbsoluteDifference(g1.scalars, r1) <= 1e-9 * maxMagnitude(r1) + 1e-15)
        #expect(maxAbsoluteDifference(g2.scalars, r2) <= 1e-9 * maxMagnitude(r2) + 1e-15)
    }

    @Test(
        "Autodiff through SSIM3DLoss equals torch autograd, both volumes", .enabled(if: GradientTests.autodiffEnabled, GradientTests.autodiffDisabled),
        arguments: Kornia3DFixtures.cases)
    func autodiffLoss(_ c: Kornia3DCase) throws {
        let (g1, g2) = try volumeLossPullback(c)
        #expect(maxAbsoluteDifference(g1.scalars, c.float64.grad1) <= gradientBound(c, scale: maxMagnitude(c.float64.grad1)))
        #expect(maxAbsoluteDifference(g2.scalars, c.float64.grad2) <= gradientBound(c, scale: maxMagnitude(c.float64.grad2)))
    }

    @Test(
        "Autodiff through SSIM3D matches torch's weighted-sum gradient", .enabled(if: GradientTests.autodiffEnabled, GradientTests.autodiffDisabled),
        arguments: Kornia3DFixtures.cases.filter { $0.mapWeights != nil })
    func autodiffMap(_ c: Kornia3DCase) throws {
        let (g1, g2) = try weightedVolumeMapGradient(c)
        let r1 = c.float64.mapGrad1!, r2 = c.float64.mapGrad2!
        #expect(maxAbsoluteDifference(g1.scalars, r1) <= 1e-9 * maxMagnitude(r1) + 1e-15)
        #expect(maxAbsoluteDifference(g2.scalars, r2) <= 1e-9 * maxMagnitude(r2) + 1e-15)
    }
    #endif
}

#if canImport(_Differentiation)
/// The pullback of the 3-D loss core at a fixture case, seeded as torch's `backward` is.
func volumeLossCorePullback(_ c: Kornia3DCase) throws -> (Tensor<Double>, Tensor<Double>) {
    let (x, y) = try c.volumes(Double.self)
    let reduction = c.reductionOption
    let plan = try VolumePlan(
        x.shape, y.shape, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, padding: c.paddingOption, target: .loss(reduction))
    let (_, pullback) = valueWithPullback(at: x, y) { a, b in evaluate(a, b, plan) }
    return pullback(try backwardSeed(reduction, outputShape: c.outputShape))
}

/// The gradient of `sum(mapWeights * ssim3D(x, y))` through the 3-D map core.
func weightedVolumeMapCoreGradient(_ c: Kornia3DCase) throws -> (Tensor<Double>, Tensor<Double>) {
    let (x, y) = try c.volumes(Double.self)
    let plan = try VolumePlan(
        x.shape, y.shape, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, padding: c.paddingOption, target: .map)
    let weights = try Tensor(shape: c.outputShape, scalars: c.mapWeights!)
    return gradient(at: x, y) { a, b in (evaluate(a, b, plan) * weights).sum().scalar }
}

/// The pullback of the public 3-D loss (through ``SSIM3DLoss``) at a fixture case, seeded as
/// torch's `backward` is, with respect to each volume in turn (see
/// ``pullbacksOfEachImage(through:at:_:seed:)``).
func volumeLossPullback(_ c: Kornia3DCase) throws -> (Tensor<Double>, Tensor<Double>) {
    let (x, y) = try c.volumes(Double.self)
    let criterion = try SSIM3DLoss(windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, reduction: c.reductionOption, padding: c.paddingOption)
    return try pullbacksOfEachImage(through: criterion, at: x, y, seed: try backwardSeed(c.reductionOption, outputShape: c.outputShape))
}

/// The gradient of `sum(mapWeights * ssim3D(x, y))` through ``SSIM3D``: the pullback of the map
/// seeded with the weights, with respect to each volume in turn.
func weightedVolumeMapGradient(_ c: Kornia3DCase) throws -> (Tensor<Double>, Tensor<Double>) {
    let (x, y) = try c.volumes(Double.self)
    let weights = try Tensor(shape: c.outputShape, scalars: c.mapWeights!)
    let metric = try SSIM3D(windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, padding: c.paddingOption)
    return try pullbacksOfEachImage(through: metric, at: x, y, seed: weights)
}
#endif

extension SSIM3DGradientTests {
    @Test("Wide slices split into row tiles: the map of a row crop, finite differences at the tile boundary", arguments: [Padding.same, .valid])
    func wideSlicesSplitIntoRowTiles(padding: Padding) throws {
        // 500 columns pad to 512: tiles of 32 rows (VolumeGeometry.rowsPerTile), so rows 0..<32
        // and 32..<40 are two tasks.
        let shape = [1, 1, 3, 40, 500]
        let geometry = VolumeGeometry(batch: 1, channels: 1, depth: 3, height: 40, width: 500, windowSize: 3, padding: padding)
        #expect(geometry.tilesPerSlice == 2 && geometry.tile(1) == 32..<40)
        let x: Tensor<Double> = randomTensor(shape, seed: 75)
        let y: Tensor<Double> = randomTensor(shape, seed: 76)
        let whole = try ssim3D(x, y, windowSize: 3, padding: padding)
        // Rows 24..<40 on their own: one tile. Their valid map is the whole's rows 25..<39.
        let crop = { (t: Tensor<Double>) -> Tensor<Double> in
            var scalars: [Double] = []
            for slice in 0..<3 { scalars += t.scalars[((slice * 40 + 24) * 500)..<((slice * 40 + 40) * 500)] }
            return try Tensor(shape: [1, 1, 3, 16, 500], scalars: scalars)
        }
        if padding == .valid {
            let part = try ssim3D(try crop(x), try crop(y), windowSize: 3, padding: .valid)  // rows 25..<39, 1 slice
            let matching = Array(whole.scalars[(24 * 498)..<(38 * 498)])  // whole: rows 1..<39
            #expect(maxAbsoluteDifference(part.scalars, matching) <= 1e-13)
        }
        let (value, gradient) = try ssim3DLossWithGradient(x, y, windowSize: 3, reduction: .sum, padding: padding)
        #expect(value == (try ssim3DLoss(x, y, windowSize: 3, reduction: .sum, padding: padding)))
        let h = 1e-6
        for (slice, row, column) in [(0, 30, 7), (1, 31, 250), (1, 32, 499), (2, 33, 0), (1, 39, 3)] {
            let i = (slice * 40 + row) * 500 + column
            var plus = x.scalars, minus = x.scalars
            plus[i] += h; minus[i] -= h
            let up = try ssim3DLoss(try Tensor(shape: shape, scalars: plus), y, windowSize: 3, reduction: .sum, padding: padding).scalar
            let down = try ssim3DLoss(try Tensor(shape: shape, scalars: minus), y, windowSize: 3, reduction: .sum, padding: padding).scalar
            // A sum over ~60000 elements near 0.5 carries ~1e-11 of rounding: 1e-5 / 1e-6 h.
            #expect(abs((up - down) / (2 * h) - gradient.scalars[i]) <= 2e-5, "slice \(slice), row \(row), column \(column)")
        }
    }
}
