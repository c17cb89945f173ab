import Testing
@testable import StructuralSimilarity

/// Each preset of ``SSIMOptions`` reproduces its peer's mean SSIM, from the golden values of
/// `Scripts/make_convention_fixtures.py` (scikit-image, torchmetrics, pytorch-msssim, piq,
/// Kornia run in float64; TensorFlow and MATLAB through the script's float64 reference of
/// their documented definitions, itself checked against the float64 peers).
@Suite struct ConventionTests {
    @Test("Double mean SSIM within 1e-7 of the peer (map within 1e-9 where stored)", arguments: ConventionFixtures.checks)
    func doubleMeanParity(_ check: ConventionCheck) throws {
        let (x, y) = check.testCase.images(Double.self)
        let map = try ssim(x, y, options: check.result.resolvedOptions())
        let mean = map.scalars.reduce(0, +) / Double(map.scalars.count)
        #expect(abs(mean - check.result.mean) <= 1e-7, "ours \(mean), peer \(check.result.mean)")
        if let expected = check.result.map {
            #expect(map.shape == check.result.mapShape)
            #expect(maxAbsoluteDifference(map.scalars, expected) <= 1e-9)
        }
    }

    @Test("Float mean SSIM within 1e-5 of the peer's float64", arguments: ConventionFixtures.checks)
    func floatMeanParity(_ check: ConventionCheck) throws {
        let (x, y) = check.testCase.images(Float.self)
        let map = try ssim(x, y, options: check.result.resolvedOptions())
        let mean = map.scalars.reduce(0.0) { $0 + Double($1) } / Double(map.scalars.count)
        #expect(abs(mean - check.result.mean) <= 1e-5, "ours \(mean), peer \(check.result.mean)")
    }

    @Test(
        "TensorFlow's own float32 mean is within 1e-5 of ours in Double and in Float",
        arguments: ConventionFixtures.checks.filter { $0.result.peerFloat32Mean != nil })
    func tensorflowFloat32(_ check: ConventionCheck) throws {
        let tf = try #require(check.result.peerFloat32Mean)
        let options = check.result.resolvedOptions()
        let (xd, yd) = check.testCase.images(Double.self)
        let (xf, yf) = check.testCase.images(Float.self)
        let double = try ssim(xd, yd, options: options).mean().scalar
        let float = Double(try ssim(xf, yf, options: options).mean().scalar)
        #expect(abs(double - tf) <= 1e-5)
        #expect(abs(float - tf) <= 1e-5)
    }

    @Test func theGeneratedImagesAreThoseOfTheScript() throws {
        for c in ConventionFixtures.cases where c.generated != nil {
            let (x, y) = c.doubleImages()
            let sums = try #require(c.sums)
            #expect(x.reduce(0, +) == sums[0] && y.reduce(0, +) == sums[1], "\(c.name)")
        }
    }

    @Test func everyConventionIsCovered() {
        let covered = Set(ConventionFixtures.checks.map(\.result.convention))
        #expect(covered == Set(SSIMConvention.allCases.map(\.rawValue)))
    }

    @Test("The Kornia preset is the existing API, bit for bit", arguments: [Padding.same, .valid])
    func korniaPresetIsTheDefaultAPI(padding: Padding) throws {
        let x: Tensor<Float> = randomTensor([2, 3, 21, 19], seed: 61)
        let y: Tensor<Float> = randomTensor([2, 3, 21, 19], seed: 62)
        var options = SSIMOptions.kornia
        options.padding = padding
        #expect(try ssim(x, y, options: options) == (try ssim(x, y, windowSize: 11, padding: padding)))
        #expect(try ssimLoss(x, y, options: options, reduction: .sum) == (try ssimLoss(x, y, windowSize: 11, reduction: .sum, padding: padding)))
        let withOptions = try ssimLossWithGradient(x, y, options: options)
        let existing = try ssimLossWithGradient(x, y, windowSize: 11, padding: padding)
        #expect(withOptions.value == existing.value && withOptions.gradient == existing.gradient)
    }

    @Test(
        "Every border, window and covariance against a direct sum (no centring), offset data included",
        arguments: [Border.reflect, .symmetric, .replicate, .zero], [false, true])
    func directSum(border: Border, offset: Bool) throws {
        let shape = [1, 2, 9, 8]
        let base: Tensor<Double> = randomTensor(shape, seed: 71)
        let other: Tensor<Double> = randomTensor(shape, seed: 72)
        // Offset data: values near 1000 with a range of 1000, where a zero border pads with a
        // value far from the plane mean (the centring must pad with the uncentred zero).
        let lift = offset ? 1000.0 : 0
        let x = try Tensor(shape: shape, scalars: base.scalars.map { $0 + lift })
        let y = try Tensor(shape: shape, scalars: zip(base.scalars, other.scalars).map { 0.8 * $0 + 0.2 * $1 + lift })
        for (window, size, covariance) in [
            (SSIMWindow.gaussian(sigma: 1.2), 5, Covariance.sample), (.uniform, 3, .population), (.gaussian(sigma: 2), 7, .population),
        ] {
            var o = SSIMOptions(window: window, windowSize: size, border: border, covariance: covariance, k1: 0.02, k2: 0.04, eps: 0)
            o.dataRange = .value(offset ? 1000 : 1)
            let map = try ssim(x, y, options: o)
            let expected = directSSIMMap(x, y, o)
            #expect(maxAbsoluteDifference(map.scalars, expected) <= (offset ? 1e-9 : 1e-12), "\(window) \(size)")
        }
    }
}

/// The SSIM map of `options` (no preprocessing) by direct double sums over the 2-D window
/// with explicit border reads, the moments uncentred: the definition, slowly.
func directSSIMMap(_ x: Tensor<Double>, _ y: Tensor<Double>, _ o: SSIMOptions) -> [Double] {
    let (h, w) = (x.shape[2], x.shape[3]), size = o.windowSize, half = size / 2
    let taps: [Double] = o.window.taps(size: size)
    let range = o.maxValue!
    let c1 = (o.k1 * range) * (o.k1 * range), c2 = (o.k2 * range) * (o.k2 * range)
    let k = o.covariance == .sample ? Double(size * size) / Double(size * size - 1) : 1
    let rows = o.padding == .same ? 0..<h : half..<(h - half)
    let columns = o.padding == .same ? 0..<w : half..<(w - half)
    var out: [Double] = []
    for plane in 0..<(x.shape[0] * x.shape[1]) {
        func pixel(_ t: Tensor<Double>, _ i: Int, _ j: Int) -> Double {
            guard let r = o.border.index(i, h), let c = o.border.index(j, w) else { return 0 }
            return t.scalars[plane * h * w + r * w + c]
        }
        for i in rows {
            for j in columns {
                var m1 = 0.0, m2 = 0.0, e11 = 0.0, e22 = 0.0, e12 = 0.0
                for p in 0..<size {
                    for q in 0..<size {
                        let weight = taps[p] * taps[q]
                        let a = pixel(x, i - half + p, j - half + q), b = pixel(y, i - half + p, j - half + q)
                        m1 += weight * a; m2 += weight * b; e11 += weight * a * a; e22 += weight * b * b; e12 += weight * a * b
                    }
                }
                let s1 = k * (e11 - m1 * m1), s2 = k * (e22 - m2 * m2), s12 = k * (e12 - m1 * m2)
                out.append((2 * m1 * m2 + c1) * (2 * s12 + c2) / ((m1 * m1 + m2 * m2 + c1) * (s1 + s2 + c2) + o.eps))
            }
        }
    }
    return out
}
