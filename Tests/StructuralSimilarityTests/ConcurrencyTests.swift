import Testing
@testable import StructuralSimilarity

/// Many threads calling the library at once, on shared and on different inputs, get exactly
/// the results of serial calls: the only state the kernels share between calls is the pool of
/// scratch blocks (``ScratchBlocks``, behind a lock), whose contents no result depends on, and
/// their own parallel work is combined in a fixed order.
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

    /// The 3-D and the MS-SSIM + L1 kernels lend each worker one workspace that its tasks reuse
    /// one after the other (``resultsOfTasks(_:workspace:deallocate:_:)``, ``TaskMemory``): tasks of
    /// different sizes (the edge tiles and slabs of a volume, the short last band of an image) then
    /// find another task's data in it. A batch gives each of its elements the map and the
    /// gradient that element gets alone, bit for bit, and so do many calls at once.
    @Test func reusedWorkspacesEqualFreshOnes() throws {
        // Three row tiles of 32, 32 and 6 rows (600 columns), two slabs of 16 and 2 slices.
        let volumeShape = [2, 1, 18, 70, 600]
        let v1: Tensor<Float> = randomTensor(volumeShape, seed: 61), v2: Tensor<Float> = randomTensor(volumeShape, seed: 62)
        // Bands of 128, 128 and 44 rows.
        let imageShape = [3, 2, 300, 40]
        let x: Tensor<Float> = randomTensor(imageShape, seed: 63), y: Tensor<Float> = randomTensor(imageShape, seed: 64)
        let criterion = try MSSSIMLoss(reduction: .sum), lossMap = try MSSSIMLoss(reduction: .none)
        func volumeResults(_ a: Tensor<Float>, _ b: Tensor<Float>) throws -> (map: [Float], gradient: [Float]) {
            (try ssim3D(a, b, windowSize: 7).scalars, try ssim3DLossWithGradient(a, b, windowSize: 7, reduction: .sum).gradient.scalars)
        }
        func imageResults(_ a: Tensor<Float>, _ b: Tensor<Float>) throws -> (map: [Float], gradient: [Float]) {
            (try lossMap(a, b).scalars, try criterion.valueWithGradient(a, b).gradient.scalars)
        }
        func element(_ t: Tensor<Float>, _ i: Int) throws -> Tensor<Float> {
            let size = t.shape.dropFirst().reduce(1, *)
            return try Tensor(shape: [1] + t.shape.dropFirst(), scalars: Array(t.scalars[(i * size)..<((i + 1) * size)]))
        }
        let volumes = try volumeResults(v1, v2), images = try imageResults(x, y)
        let volumeSize = volumeShape.dropFirst().reduce(1, *), planeSize = 300 * 40, imageSize = 2 * planeSize
        for i in 0..<2 {
            let alone = try volumeResults(try element(v1, i), try element(v2, i))
            #expect(alone.map == Array(volumes.map[(i * volumeSize)..<((i + 1) * volumeSize)]), "3-D map of volume \(i)")
            #expect(alone.gradient == Array(volumes.gradient[(i * volumeSize)..<((i + 1) * volumeSize)]), "3-D gradient of volume \(i)")
        }
        for i in 0..<3 {
            let alone = try imageResults(try element(x, i), try element(y, i))
            #expect(alone.map == Array(images.map[(i * planeSize)..<((i + 1) * planeSize)]), "MS-SSIM + L1 loss map of image \(i)")
            #expect(alone.gradient == Array(images.gradient[(i * imageSize)..<((i + 1) * imageSize)]), "MS-SSIM + L1 gradient of image \(i)")
        }
        let pairs = [(v1, v2), (x, y), (v2, v1), (y, x)]
        func compute(_ pair: (Tensor<Float>, Tensor<Float>)) throws -> [Float] {
            let results = pair.0.shape.count == 5 ? try volumeResults(pair.0, pair.1) : try imageResults(pair.0, pair.1)
            return results.map + results.gradient
        }
        let serial = try pairs.map(compute)
        let concurrent = concurrentResults(pairs, compute)
        for i in 0..<pairs.count { #expect(concurrent[i] == serial[i], "call \(i)") }
    }
}
