import Testing
@testable import StructuralSimilarity

/// Parity of the 3-D SSIM map and loss with Kornia 0.9.0 (`kornia.metrics.ssim3d`,
/// `kornia.losses.ssim3d_loss`), from the golden fixtures, and the 3-D map's own properties.
@Suite struct SSIM3DTests {
    @Test("Double 3-D map within 1e-10 of Kornia float64", arguments: Kornia3DFixtures.cases)
    func doubleMapParity(_ c: Kornia3DCase) throws {
        let (x, y) = try c.volumes(Double.self)
        let map = try ssim3D(x, y, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps, padding: c.paddingOption)
        #expect(map.shape == c.outputShape)
        let error = maxAbsoluteDifference(map.scalars, c.float64.map)
        #expect(error <= 1e-10, "max |error| \(error)")
    }

    @Test("Float 3-D map within 1e-5 of Kornia float64", arguments: Kornia3DFixtures.cases)
    func floatMapParity(_ c: Kornia3DCase) throws {
        let (x, y) = try c.volumes(Float.self)
        let map = try ssim3D(x, y, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps), padding: c.paddingOption)
        #expect(map.shape == c.outputShape)
        let error = maxAbsoluteDifference(map.scalars, c.float64.map)
        #expect(error <= 1e-5, "max |error| \(error)")
    }

    @Test("Double 3-D loss: elements within 1e-10, reduced within 1e-10 relative of the exact loss and of Kornia's error", arguments: Kornia3DFixtures.cases)
    func doubleLossParity(_ c: Kornia3DCase) throws {
        let (x, y) = try c.volumes(Double.self)
        let loss = try ssim3DLoss(
            x, y, windowSize: c.windowSize, maxValue: c.maxValue, eps: c.eps,
            reduction: c.reductionOption, padding: c.paddingOption)
        if c.reductionOption == .none {
            #expect(loss.shape == c.outputShape)
            #expect(maxAbsoluteDifference(loss.scalars, c.float64.loss) <= 1e-10)
            #expect(maxAbsoluteDifference(loss.scalars, c.exactLoss) <= 1e-10)
        } else {
            #expect(loss.shape == [])
            let exact = c.exactLoss[0], kornia = c.float64.loss[0]
            // Identical volumes lose ~1e-9 per element: the bar is the rounding of 1 - SSIM to
            // float64 (1.1e-16 absolute per element).
            let rounding = Double(c.reductionOption == .sum ? c.outputShape.reduce(1, *) : 1) * Double.ulpOfOne
            #expect(abs(loss.scalar - exact) <= 1e-10 * abs(exact) + rounding, "\(loss.scalar) vs exact \(exact)")
            // Against Kornia float64: 1e-10 relative beyond Kornia's own distance from the exact
            // loss (1.7e-10 relative on near-identical volumes, where it rounds 1 - SSIM).
            #expect(abs(loss.scalar - kornia) <= 1e-10 * abs(exact) + abs(kornia - exact) + rounding, "\(loss.scalar) vs Kornia \(kornia)")
        }
    }

    @Test("Float 3-D loss within 1e-5 of Kornia float64", arguments: Kornia3DFixtures.cases)
    func floatLossParity(_ c: Kornia3DCase) throws {
        let (x, y) = try c.volumes(Float.self)
        let loss = try ssim3DLoss(
            x, y, windowSize: c.windowSize, maxValue: Float(c.maxValue), eps: Float(c.eps),
            reduction: c.reductionOption, padding: c.paddingOption)
        // Relative for sums (they grow with the element count), absolute for means and maps.
        let scale = c.reductionOption == .sum ? max(1, abs(c.float64.loss[0])) : 1
        let error = maxAbsoluteDifference(loss.scalars, c.float64.loss) / scale
        #expect(error <= 1e-5, "\(error)")
    }

    @Test(
        "A volume of identical slices gives the 2-D map in every slice",
        arguments: [
            (7, Padding.same), (5, .valid), (3, .same), (1, .valid),
        ])
    func identicalSlicesReproduceThe2DMap(windowSize: Int, padding: Padding) throws {
        let (b, c, d, h, w) = (2, 1, 9, 11, 10)
        let x: Tensor<Double> = randomTensor([b, c, h, w], seed: 61)
        let y: Tensor<Double> = randomTensor([b, c, h, w], seed: 62)
        func stacked(_ image: Tensor<Double>) throws -> Tensor<Double> {
            var scalars: [Double] = []
            for plane in 0..<(b * c) {
                let slice = image.scalars[(plane * h * w)..<((plane + 1) * h * w)]
                for _ in 0..<d { scalars += slice }
            }
            return try Tensor(shape: [b, c, d, h, w], scalars: scalars)
        }
        let map2D = try ssim(x, y, windowSize: windowSize, padding: padding)
        let map3D = try ssim3D(try stacked(x), try stacked(y), windowSize: windowSize, padding: padding)
        let half = windowSize / 2, outD = padding == .same ? d : d - 2 * half
        let planeSize = map2D.shape[2] * map2D.shape[3]
        #expect(map3D.shape == [b, c, outD] + map2D.shape.suffix(2))
        for plane in 0..<(b * c) {
            let expected = Array(map2D.scalars[(plane * planeSize)..<((plane + 1) * planeSize)])
            for slice in 0..<outD {
                let start = (plane * outD + slice) * planeSize
                let got = Array(map3D.scalars[start..<(start + planeSize)])
                #expect(maxAbsoluteDifference(got, expected) <= 1e-13, "plane \(plane), slice \(slice)")
            }
        }
    }

    @Test func theModulesEqualTheFunctions() throws {
        let x: Tensor<Float> = randomTensor([1, 2, 6, 9, 8], seed: 63)
        let y: Tensor<Float> = randomTensor([1, 2, 6, 9, 8], seed: 64)
        let metric = try SSIM3D(windowSize: 5, maxValue: 2, eps: 1e-4, padding: .valid)
        #expect(try metric(x, y) == (try ssim3D(x, y, windowSize: 5, maxValue: 2, eps: 1e-4, padding: .valid)))
        for reduction in Reduction.allCases {
            let criterion = try SSIM3DLoss(windowSize: 3, reduction: reduction)
            #expect(try criterion(x, y) == (try ssim3DLoss(x, y, windowSize: 3, reduction: reduction)))
            let (value, gradient) = try criterion.valueWithGradient(x, y)
            let direct = try ssim3DLossWithGradient(x, y, windowSize: 3, reduction: reduction)
            #expect(value == direct.value && gradient == direct.gradient)
        }
    }

    @Test func theMapIsSymmetric() throws {
        let x: Tensor<Double> = randomTensor([1, 1, 5, 7, 6], seed: 65)
        let y: Tensor<Double> = randomTensor([1, 1, 5, 7, 6], seed: 66)
        let forward = try ssim3D(x, y, windowSize: 3), backward = try ssim3D(y, x, windowSize: 3)
        #expect(maxAbsoluteDifference(forward.scalars, backward.scalars) <= 1e-15)
    }

    @Test func deepVolumesSplitIntoSlabsGiveTheMapOfTheirCrops() throws {
        // 40 slices span three slabs of slicesPerSlab (16); with `valid` each map slice depends
        // only on the slices its window covers, so a crop's map equals the matching slices.
        let shape = [1, 1, 40, 6, 7]
        let x: Tensor<Double> = randomTensor(shape, seed: 67)
        let y: Tensor<Double> = randomTensor(shape, seed: 68)
        let sliceSize = 6 * 7, outSlice = 2 * 3
        let whole = try ssim3D(x, y, windowSize: 5, padding: .valid)  // slices 2..<38
        for front in [0, 12, 27] {
            let crop = { (t: Tensor<Double>) in
                try Tensor(shape: [1, 1, 13, 6, 7], scalars: Array(t.scalars[(front * sliceSize)..<((front + 13) * sliceSize)]))
            }
            let part = try ssim3D(try crop(x), try crop(y), windowSize: 5, padding: .valid)  // slices front+2 ..< front+11
            let matching = Array(whole.scalars[(front * outSlice)..<((front + 9) * outSlice)])
            #expect(maxAbsoluteDifference(part.scalars, matching) <= 1e-13, "crop at slice \(front)")
        }
        // The loss sum is the sum of the map, however the slabs split it.
        let lossMap = try ssim3DLoss(x, y, windowSize: 5, reduction: .none)
        let sum = try ssim3DLoss(x, y, windowSize: 5, reduction: .sum).scalar
        #expect(abs(sum - lossMap.scalars.reduce(0, +)) <= 1e-12 * sum)
    }

    @Test func identicalVolumesLoseOnlyEps() throws {
        let x: Tensor<Float> = randomTensor([1, 1, 6, 8, 8], seed: 69)
        let loss = try ssim3DLoss(x, x, windowSize: 5, eps: 1e-6, reduction: .none)
        #expect(loss.scalars.allSatisfy { $0 > 0 && $0 < 1e-6 / (2 * 1e-4 * 9e-4) })
    }
}

/// Every input the 3-D SSIM functions refuse, with the typed error of the 2-D checks.
@Suite struct SSIM3DValidationTests {
    let volume = try! Tensor<Double>(shape: [1, 1, 6, 8, 8], repeating: 0.5)

    @Test func rankShapeAndEmptyAxesAreChecked() throws {
        let image = try Tensor<Double>(shape: [1, 1, 8, 8], repeating: 0)
        #expect(throws: SSIMError.rankMismatch(argument: "the first volume", shape: [1, 1, 8, 8], expected: 5)) {
            try ssim3D(image, image, windowSize: 3)
        }
        #expect(SSIMError.rankMismatch(argument: "the first volume", shape: [1, 8, 8, 8], expected: 5).description.contains("(B, C, D, H, W)"))
        let other = try Tensor<Double>(shape: [1, 1, 6, 8, 9], repeating: 0)
        #expect(throws: SSIMError.shapeMismatch([1, 1, 6, 8, 8], [1, 1, 6, 8, 9])) { try ssim3DLoss(volume, other, windowSize: 3) }
        let empty = try Tensor<Double>(shape: [1, 1, 0, 8, 8], repeating: 0)
        #expect(throws: SSIMError.emptyInput(argument: "the first volume", shape: [1, 1, 0, 8, 8])) {
            try ssim3DLossWithGradient(empty, empty, windowSize: 3)
        }
    }

    @Test(arguments: [0, -3, 2, 10])
    func windowSizeMustBeOddAndPositive(_ size: Int) {
        #expect(throws: SSIMError.invalidWindowSize(size)) { try ssim3D(volume, volume, windowSize: size) }
        #expect(throws: SSIMError.invalidWindowSize(size)) { try SSIM3DLoss(windowSize: size) }
        #expect(throws: SSIMError.invalidWindowSize(size)) { try SSIM3D(windowSize: size) }
    }

    @Test func everySpatialAxisMustFitTheWindow() throws {
        // same: every axis > window / 2. D = 6 takes window 11, not 13.
        _ = try ssim3D(volume, volume, windowSize: 11)
        #expect(throws: SSIMError.imageTooSmall(shape: [1, 1, 6, 8, 8], windowSize: 13, padding: .same)) {
            try ssim3D(volume, volume, windowSize: 13)
        }
        // valid: every axis >= window. D = 6 takes window 5, not 7.
        _ = try ssim3DLoss(volume, volume, windowSize: 5, padding: .valid)
        #expect(throws: SSIMError.imageTooSmall(shape: [1, 1, 6, 8, 8], windowSize: 7, padding: .valid)) {
            try ssim3DLoss(volume, volume, windowSize: 7, padding: .valid)
        }
        #expect(SSIMError.imageTooSmall(shape: [1, 1, 6, 8, 8], windowSize: 7, padding: .valid).description.contains("at most 5"))
        // Each axis is checked, not only the depth.
        let flat = try Tensor<Double>(shape: [1, 1, 8, 8, 2], repeating: 0)
        #expect(throws: SSIMError.imageTooSmall(shape: [1, 1, 8, 8, 2], windowSize: 5, padding: .same)) {
            try ssim3D(flat, flat, windowSize: 5)
        }
    }

    @Test func rangeOptionsAreChecked() {
        for bad in [0.0, -1, .infinity, .nan] {
            #expect(throws: SSIMError.self) { try ssim3D(volume, volume, windowSize: 3, maxValue: bad) }
            #expect(throws: SSIMError.self) { try SSIM3DLoss(windowSize: 3, maxValue: bad) }
        }
        for bad in [-1e-12, .infinity, .nan] {
            #expect(throws: SSIMError.self) { try ssim3DLoss(volume, volume, windowSize: 3, eps: bad) }
        }
    }
}

extension SSIM3DTests {
    @Test func nanVoxelsPropagateToTheWindowsThatSeeThem() throws {
        // A NaN at the last column of the last row: it also reaches the padded columns of the
        // kernels' rows, which must not leak into the map.
        var values = [Double](repeating: 0.5, count: 5 * 6 * 7)
        values[(2 * 6 + 5) * 7 + 6] = .nan  // (d 2, h 5, w 6)
        let x = try Tensor(shape: [1, 1, 5, 6, 7], scalars: values)
        let y = try Tensor<Double>(shape: [1, 1, 5, 6, 7], repeating: 0.25)
        let map = try ssim3D(x, y, windowSize: 3)
        func element(_ d: Int, _ h: Int, _ w: Int) -> Double { map.scalars[(d * 6 + h) * 7 + w] }
        #expect(element(2, 5, 6).isNaN && element(1, 4, 5).isNaN && element(3, 5, 6).isNaN)
        #expect(!element(0, 5, 6).isNaN && !element(2, 3, 6).isNaN && !element(2, 5, 4).isNaN)
        // The mean loss is NaN; the gradient is NaN where the NaN's outputs reach, finite elsewhere.
        let (loss, gradient) = try ssim3DLossWithGradient(x, y, windowSize: 3)
        #expect(loss.scalar.isNaN)
        #expect(gradient.scalars[(2 * 6 + 5) * 7 + 6].isNaN && gradient.scalars[0].isFinite)
    }
}

extension SSIM3DTests {
    @Test func concurrentCallsEqualSerialCalls() throws {
        // Two volumes of two slabs each: the kernels' own tasks, and callers' threads on top.
        let shape = [2, 1, 20, 9, 10]
        let inputs = (0..<4).map { i -> (Tensor<Float>, Tensor<Float>) in
            (randomTensor(shape, seed: UInt64(300 + i)), randomTensor(shape, seed: UInt64(400 + i)))
        }
        func compute(_ pair: (Tensor<Float>, Tensor<Float>)) throws -> [Float] {
            let (value, gradient) = try ssim3DLossWithGradient(pair.0, pair.1, windowSize: 5)
            let map = try ssim3D(pair.0, pair.1, windowSize: 3, padding: .valid)
            return [value.scalar] + gradient.scalars + map.scalars
        }
        let serial = try inputs.map(compute)
        let concurrent = concurrentResults(inputs, compute)
        for i in 0..<4 { #expect(concurrent[i] == serial[i], "call \(i)") }
    }
}
