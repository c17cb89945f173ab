import Testing
@testable import StructuralSimilarity

@Suite struct GaussianWindowTests {
    @Test(arguments: [1, 3, 5, 7, 11, 15, 33])
    func tapsAreANormalisedSymmetricGaussian(_ size: Int) {
        let taps: [Double] = gaussianWindow(size: size)
        #expect(taps.count == size)
        #expect(abs(taps.reduce(0, +) - 1) <= 1e-15)
        for i in 0..<size { #expect(taps[i] == taps[size - 1 - i]) }
        // Neighbours of the centre: exp(-1 / (2 * 1.5^2)) times the centre tap.
        if size >= 3 { #expect(abs(taps[size / 2 + 1] / taps[size / 2] - exp(-1 / 4.5)) <= 1e-15) }
    }

    @Test func elevenTapsMatchKornia() {
        // kornia.filters.get_gaussian_kernel1d(11, 1.5, dtype=torch.float64), taps 0 and 5
        let taps: [Double] = gaussianWindow(size: 11)
        #expect(abs(taps[0] - 0.00102838008447911) <= 1e-17)
        #expect(abs(taps[5] - 0.26601172486179436) <= 2e-16)
    }
}
