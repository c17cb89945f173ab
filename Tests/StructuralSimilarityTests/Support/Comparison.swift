@testable import StructuralSimilarity

/// The largest absolute difference between two equally long arrays (infinity if the counts
/// differ, NaN-aware: a NaN on one side only counts as infinity).
func maxAbsoluteDifference<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(_ a: [A], _ b: [B]) -> Double {
    guard a.count == b.count else { return .infinity }
    var worst = 0.0
    for (x, y) in zip(a, b) {
        let dx = Double(x), dy = Double(y)
        if dx.isNaN && dy.isNaN { continue }
        if dx == dy { continue }  // equal infinities
        let d = abs(dx - dy)
        worst = d.isNaN ? .infinity : max(worst, d)
    }
    return worst
}

/// The largest magnitude in an array.
func maxMagnitude(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }

/// A small seeded generator (SplitMix64), so random tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A tensor of uniform random values in `range`.
func randomTensor<Scalar: SSIMScalar>(_ shape: [Int], in range: ClosedRange<Double> = 0...1, seed: UInt64) -> Tensor<Scalar> {
    var generator = SeededGenerator(seed: seed)
    var values: [Scalar] = []
    for _ in 0..<shape.reduce(1, *) {
        let unit = Double(generator.next() >> 11) * 0x1p-53
        values.append(Scalar(range.lowerBound + unit * (range.upperBound - range.lowerBound)))
    }
    return try! Tensor(shape: shape, scalars: values)
}
