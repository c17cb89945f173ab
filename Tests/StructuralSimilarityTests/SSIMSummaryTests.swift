import Testing
@testable import StructuralSimilarity

/// ``ssimSummary(_:_:options:reduction:keepsMap:keepsLossMap:)``: one pass of the filters gives
/// the maps and the loss of ``ssim(_:_:options:)`` and ``ssimLoss(_:_:options:reduction:)`` bit
/// for bit, and means within the rounding of their order of the map's mean (a compensated sum),
/// the same from any thread.
@Suite struct SSIMSummaryTests {
    /// The mean of `values` in `Double` with Neumaier's compensated sum: exact to about 1e-16
    /// relative for these sizes, whatever the order.
    func accurateMean<Scalar: SSIMScalar>(_ values: [Scalar]) -> Double {
        var sum = 0.0, compensation = 0.0
        for value in values.map(Double.init) {
            let t = sum + value
            compensation += abs(sum) >= abs(value) ? (sum - t) + value : (value - t) + sum
            sum = t
        }
        return (sum + compensation) / Double(values.count)
    }

    /// Two similar batches (SSIM mostly positive, so that the means have no cancellation).
    func pair<Scalar: SSIMScalar>(_ shape: [Int], seed: UInt64) throws -> (Tensor<Scalar>, Tensor<Scalar>) {
        let x: Tensor<Scalar> = randomTensor(shape, seed: seed), noise: Tensor<Scalar> = randomTensor(shape, seed: seed + 1)
        let y = zip(x.scalars, noise.scalars).map { min(max($0 + ($1 - 0.5) / 5, 0), 1) }
        return (x, try Tensor(shape: shape, scalars: y))
    }

    func check<Scalar: SSIMScalar>(_ convention: SSIMConvention, _: Scalar.Type) throws {
        // Several bands of 128 rows and planes: the order of the sums matters.
        let (x, y): (Tensor<Scalar>, Tensor<Scalar>) = try pair([2, 3, 300, 45], seed: 71)
        let options = convention.options
        let map = try ssim(x, y, options: options), lossMap = try ssimLoss(x, y, options: options, reduction: .none)
        for reduction in Reduction.allCases {
            let summary = try ssimSummary(x, y, options: options, reduction: reduction, keepsMap: true, keepsLossMap: true)
            #expect(summary.loss == (try ssimLoss(x, y, options: options, reduction: reduction)), "\(reduction)")
            #expect(summary.map == map && summary.lossMap == lossMap, "\(reduction)")
            // The bound of recursive summation, (n - 1) u for positive terms, with n the longest chain of
            // additions: a row's lanes, 128 rows of a band, then the 18 bands: about 160 u = 1.8e-14.
            let mean = accurateMean(map.scalars), meanLoss = accurateMean(lossMap.scalars)
            #expect(abs(summary.meanSSIM - mean) <= 2e-14 * abs(mean), "\(summary.meanSSIM) against \(mean)")
            #expect(abs(summary.meanLoss - meanLoss) <= 2e-14 * abs(meanLoss), "\(summary.meanLoss) against \(meanLoss)")
            let plain = try ssimSummary(x, y, options: options, reduction: reduction)
            #expect(plain.map == nil && (plain.lossMap == nil) == (reduction != .none), "only the maps asked for")
            #expect(plain.meanSSIM == summary.meanSSIM && plain.meanLoss == summary.meanLoss && plain.loss == summary.loss)
        }
    }

    @Test("Double: the maps and the loss of ssim and ssimLoss, the means within their order's rounding", arguments: SSIMConvention.allCases)
    func double(_ convention: SSIMConvention) throws { try check(convention, Double.self) }

    @Test("Float: the maps and the loss of ssim and ssimLoss, the means within their order's rounding", arguments: SSIMConvention.allCases)
    func float(_ convention: SSIMConvention) throws { try check(convention, Float.self) }

    @Test func theGeneralFormToo() throws {
        var options = SSIMOptions.matlab
        options.exponents = SSIMExponents(alpha: 1, beta: 0.5, gamma: 2)
        let (x, y): (Tensor<Double>, Tensor<Double>) = try pair([1, 2, 140, 37], seed: 73)
        let summary = try ssimSummary(x, y, options: options, keepsMap: true)
        #expect(summary.map == (try ssim(x, y, options: options)))
        #expect(summary.loss == (try ssimLoss(x, y, options: options)))
    }

    @Test func badInputThrowsTheErrorsOfSSIM() throws {
        let x: Tensor<Float> = randomTensor([1, 1, 20, 20], seed: 1), y: Tensor<Float> = randomTensor([1, 1, 20, 21], seed: 2)
        #expect(throws: SSIMError.self) { try ssimSummary(x, y) }
        var options = SSIMOptions.kornia
        options.windowSize = 4
        #expect(throws: SSIMError.self) { try ssimSummary(x, x, options: options) }
    }

    @Test func concurrentCallsEqualSerialCalls() throws {
        let inputs = (0..<6).map { i -> (Tensor<Float>, Tensor<Float>) in
            (randomTensor([1, 3, 260 + i, 41], seed: UInt64(800 + i)), randomTensor([1, 3, 260 + i, 41], seed: UInt64(900 + i)))
        }
        func compute(_ pair: (Tensor<Float>, Tensor<Float>)) throws -> [Double] {
            let summary = try ssimSummary(pair.0, pair.1, options: .kornia)
            return [summary.meanSSIM, summary.meanLoss, Double(summary.loss.scalar)]
        }
        let serial = try inputs.map(compute)
        let concurrent = concurrentResults(inputs, compute)
        for i in 0..<6 { #expect(concurrent[i] == serial[i], "call \(i)") }
    }
}
