import Testing
@testable import SSIMFormats

@Suite struct ViridisTests {
    @Test func matchesMatplotlibAtKnownPoints() {
        #expect(Viridis.table.count == 256)
        #expect(Viridis.color(at: 0) == (68, 1, 84))
        #expect(Viridis.color(at: 1) == (253, 231, 37))
        #expect(Viridis.color(at: 128.0 / 255) == (33, 145, 140))
    }

    /// The channels are rounded half away from zero without the C library (from the truncation
    /// and the remainder): the same colours as `rounded()` at a million points, ties included.
    @Test func roundsAsRoundedDoes() {
        func reference(_ value: Double) -> (UInt8, UInt8, UInt8) {
            let position = min(max(value, 0), 1) * 255
            let lower = min(Int(position), 254), fraction = position - Double(lower)
            func channel(_ shift: UInt32) -> UInt8 {
                let a = Double(Viridis.table[lower] >> shift & 0xFF), b = Double(Viridis.table[lower + 1] >> shift & 0xFF)
                return UInt8((a + (b - a) * fraction).rounded())
            }
            return (channel(16), channel(8), channel(0))
        }
        // Steps of 1/2^20 land on the ties a + (b - a) / 2 where b - a is odd.
        let mismatches = (0...(1 << 20)).filter { Viridis.color(at: Double($0) / Double(1 << 20)) != reference(Double($0) / Double(1 << 20)) }
        #expect(mismatches.isEmpty)
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
