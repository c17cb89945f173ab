import Testing
@testable import StructuralSimilarity

/// Every input the SSIM functions refuse, with the typed error and a message that says what to do.
@Suite struct ValidationTests {
    let image = try! Tensor<Double>(shape: [1, 1, 8, 8], repeating: 0.5)

    @Test func tensorShapeAndCountAreChecked() {
        #expect(throws: SSIMError.scalarCountMismatch(shape: [2, 2], expected: 4, actual: 3)) {
            try Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3])
        }
        #expect(throws: SSIMError.invalidShape([2, -1], reason: "an axis length is negative")) {
            try Tensor<Float>(shape: [2, -1], repeating: 0)
        }
        #expect(throws: SSIMError.invalidShape([Int.max, 2], reason: "the element count overflows Int")) {
            try Tensor<Float>(shape: [Int.max, 2], repeating: 0)
        }
        // 2^46 doubles: a count that fits Int, bytes that no process can address; refused
        // before any allocation is tried.
        #expect(throws: SSIMError.invalidShape([1 << 23, 1 << 23], reason: "its 70368744177664 elements need more memory than a process can address")) {
            try Tensor<Double>(shape: [1 << 23, 1 << 23], repeating: 0)
        }
    }

    @Test func rankShapeAndEmptyAxesAreChecked() throws {
        let flat = try Tensor<Double>(shape: [8, 8], repeating: 0)
        #expect(throws: SSIMError.rankMismatch(argument: "the first image", shape: [8, 8], expected: 4)) {
            try ssim(flat, flat, windowSize: 3)
        }
        let other = try Tensor<Double>(shape: [1, 1, 8, 9], repeating: 0)
        #expect(throws: SSIMError.shapeMismatch([1, 1, 8, 8], [1, 1, 8, 9])) { try ssimLoss(image, other, windowSize: 3) }
        let empty = try Tensor<Double>(shape: [0, 1, 8, 8], repeating: 0)
        #expect(throws: SSIMError.emptyInput(argument: "the first image", shape: [0, 1, 8, 8])) { try ssim(empty, empty, windowSize: 3) }
    }

    @Test(arguments: [0, -3, 2, 10])
    func windowSizeMustBeOddAndPositive(_ size: Int) {
        #expect(throws: SSIMError.invalidWindowSize(size)) { try ssim(image, image, windowSize: size) }
        #expect(throws: SSIMError.invalidWindowSize(size)) { try SSIMLoss(windowSize: size) }
    }

    @Test func imagesMustFitTheWindow() throws {
        // same: H > window / 2. H = 8 takes window 15, not 17.
        _ = try ssim(image, image, windowSize: 15)
        #expect(throws: SSIMError.imageTooSmall(shape: [1, 1, 8, 8], windowSize: 17, padding: .same)) {
            try ssim(image, image, windowSize: 17)
        }
        // valid: H >= window. H = 8 takes window 7, not 9 (Kornia returns an empty map or fails there).
        _ = try ssim(image, image, windowSize: 7, padding: .valid)
        #expect(throws: SSIMError.imageTooSmall(shape: [1, 1, 8, 8], windowSize: 9, padding: .valid)) {
            try ssimLoss(image, image, windowSize: 9, padding: .valid)
        }
        let message = SSIMError.imageTooSmall(shape: [1, 1, 8, 8], windowSize: 9, padding: .valid).description
        #expect(message.contains("at most 7"))
    }

    @Test func rangeOptionsAreChecked() {
        for bad in [0.0, -1, .infinity, .nan] {
            #expect(throws: SSIMError.self) { try ssim(image, image, windowSize: 3, maxValue: bad) }
            #expect(throws: SSIMError.self) { try SSIM(windowSize: 3, maxValue: bad) }
        }
        for bad in [-1e-12, .infinity, .nan] {
            #expect(throws: SSIMError.self) { try ssimLoss(image, image, windowSize: 3, eps: bad) }
        }
    }

    @Test func messagesSayWhatToDo() {
        #expect(SSIMError.invalidWindowSize(10).description.contains("odd number such as 11 or 9"))
        #expect(SSIMError.rankMismatch(argument: "the first image", shape: [8, 8], expected: 4).description.contains("[1, 1, 8, 8]"))
        #expect(SSIMError.invalidMaxValue(0).description.contains("255 for 8-bit"))
    }
}
