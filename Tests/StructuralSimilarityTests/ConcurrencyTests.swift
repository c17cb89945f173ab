import Testing
@testable import StructuralSimilarity

/// Many threads calling the library at once, on shared and on different inputs, get exactly
/// the results of serial calls: the kernels keep no global mutable state, and their own
/// parallel work is combined in a fixed order.
@Suite struct ConcurrencyTests {
    @Test func concurrentCallsEqualSerialCalls() throws {
        let shared: (Tensor<Float>, Tensor<Float>) = (randomTensor([2, 3, 150, 70], seed: 41), randomTensor([2, 3, 150, 70], seed: 42))
        let inputs = (0..<8).map { i -> (Tensor<Float>, Tensor<Float>) in
            i % 2 == 0 ? shared : (randomTensor([1, 2, 40 + i, 33], seed: UInt64(100 + i)), randomTensor([1, 2, 40 + i, 33], seed: UInt64(200 + i)))
        }
        func compute(_ pair: (Tensor<Float>, Tensor<Float>)) throws -> [Float] {
            let (value, gradient) = try ssimLossWithGradient(pair.0, pair.1, windowSize: 7)
            let map = try ssim(pair.0, pair.1, windowSize: 7, padding: .valid)
            return [value.scalar] + gradient.scalars + map.scalars
        }
        let serial = try inputs.map(compute)
        let concurrent = concurrentResults(inputs, compute)
        for i in 0..<8 { #expect(concurrent[i] == serial[i], "call \(i)") }
    }

    /// Wang's MS-SSIM: its scales, halvings and per-plane means, whatever the threads the
    /// concurrent calls leave each, give the serial results bit for bit.
    @Test func concurrentMultiScaleCallsEqualSerialCalls() throws {
        var options = MultiScaleSSIMOptions.pytorchMSSSIM
        options.weights = [0.3, 0.3, 0.4]
        options.windowSize = 7
        let inputs = (0..<6).map { i -> (Tensor<Float>, Tensor<Float>) in
            (randomTensor([2, 2, 41 + i, 300 - i], seed: UInt64(300 + i)), randomTensor([2, 2, 41 + i, 300 - i], seed: UInt64(400 + i)))
        }
        func compute(_ pair: (Tensor<Float>, Tensor<Float>)) throws -> [Float] {
            let (value, gradient) = try multiScaleSSIMLossWithGradient(pair.0, pair.1, options: options)
            return [value.scalar] + gradient.scalars + (try multiScaleSSIM(pair.0, pair.1, options: options)).scalars
        }
        let serial = try inputs.map(compute)
        let concurrent = concurrentResults(inputs, compute)
        for i in 0..<6 { #expect(concurrent[i] == serial[i], "call \(i)") }
    }

    /// The planar kernels run up to four row bands of a plane in one task when there are enough
    /// tasks for the cores (``bandSumsOfTasks(planes:bandsPerPlane:_:)``), one band per task
    /// otherwise: a batch of eight 1024-row planes is grouped (on up to 8 processors), each of
    /// its planes alone is not (on 2 or more), and both give the same map, gradient and loss
    /// sum per plane, bit for bit.
    @Test func groupedBandsEqualSingleBands() throws {
        let shape = [4, 2, 1024, 24]
        let x: Tensor<Float> = randomTensor(shape, seed: 51), y: Tensor<Float> = randomTensor(shape, seed: 52)
        let map = try ssim(x, y, windowSize: 11)
        let (_, gradient) = try ssimLossWithGradient(x, y, windowSize: 11, reduction: .sum)
        let planeSize = 1024 * 24
        /// The per-band loss sums of the forward and the backward pass.
        func bandSums(_ x: Tensor<Float>, _ y: Tensor<Float>) throws -> (forward: [Double], backward: [Double]) {
            let plan = try PlanarPlan<Float>(x.shape, y.shape, windowSize: 11, maxValue: 1, eps: 1e-12, padding: .same, target: .loss(.sum))
            let forward = ssimForward(x.scalars, y.scalars, geometry: plan.geometry, constants: plan.constants, target: plan.target, writesMap: false)
            let backward = ssimBackward(
                x.scalars, y.scalars, geometry: plan.geometry, constants: plan.constants, target: plan.target, upstream: [1], wantsY: true)
            return (forward.taskSums, backward.taskSums)
        }
        let batchSums = try bandSums(x, y)
        #expect(batchSums.forward == batchSums.backward)
        for p in 0..<8 {
            let range = (p * planeSize)..<((p + 1) * planeSize)
            let xp = try Tensor(shape: [1, 1, 1024, 24], scalars: Array(x.scalars[range]))
            let yp = try Tensor(shape: [1, 1, 1024, 24], scalars: Array(y.scalars[range]))
            #expect(try ssim(xp, yp, windowSize: 11).scalars == Array(map.scalars[range]), "map of plane \(p)")
            let planeGradient = try ssimLossWithGradient(xp, yp, windowSize: 11, reduction: .sum).gradient
            #expect(planeGradient.scalars == Array(gradient.scalars[range]), "gradient of plane \(p)")
            let sums = try bandSums(xp, yp)
            #expect(sums.forward == Array(batchSums.forward[(p * 8)..<((p + 1) * 8)]), "band sums of plane \(p)")
            #expect(sums.backward == sums.forward)
        }
    }

    /// The fused SSIM + L1 loss and the general form: the same bits from many threads at once.
    @Test func concurrentSSIML1AndGeneralFormCallsEqualSerialCalls() throws {
        var general = SSIMOptions.matlab
        general.exponents = SSIMExponents(alpha: 1, beta: 0.5, gamma: 2)
        let inputs = (0..<6).map { i -> (Tensor<Float>, Tensor<Float>) in
            (randomTensor([2, 3, 140 + i, 37], seed: UInt64(500 + i)), randomTensor([2, 3, 140 + i, 37], seed: UInt64(600 + i)))
        }
        func compute(_ pair: (Tensor<Float>, Tensor<Float>)) throws -> [Float] {
            let (value, gradient) = try SSIML1Loss.gaussianSplatting.valueWithGradient(pair.0, pair.1)
            let (generalValue, generalGradient) = try ssimLossWithGradient(pair.0, pair.1, options: general)
            return [value.scalar, generalValue.scalar] + gradient.scalars + generalGradient.scalars
                + (try ssimComponents(pair.0, pair.1, options: general)).structure.scalars
        }
        let serial = try inputs.map(compute)
        let concurrent = concurrentResults(inputs, compute)
        for i in 0..<6 { #expect(concurrent[i] == serial[i], "call \(i)") }
    }
}
