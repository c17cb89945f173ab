import Testing
@testable import SSIMFormats

@Suite struct ViridisTests {
    @Test func matchesMatplotlibAtKnownPoints() {
        #expect(Viridis.table.count == 256)
        #expect(Viridis.color(at: 0) == (68, 1, 84))
        #expect(Viridis.color(at: 1) == (253, 231, 37))
        #expect(Viridis.color(at: 128.0 / 255) == (33, 145, 140))
    }

    @Test func clampsAndTreatsNaNAsTheTop() {
        #expect(Viridis.color(at: -1) == Viridis.color(at: 0))
        #expect(Viridis.color(at: 7) == Viridis.color(at: 1))
        #expect(Viridis.color(at: .nan) == Viridis.color(at: 1))
    }

    @Test func getsBrighterAlongTheMap() {
        let brightness = stride(from: 0.0, through: 1, by: 0.05).map { value in
            let (r, g, b) = Viridis.color(at: value)
            return 0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)
        }
        #expect(zip(brightness, brightness.dropFirst()).allSatisfy { $0 < $1 })
    }
}
