@testable import StructuralSimilarity
@_exported import SSIMTestSupport

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
