/// What centring costs at the zero border: with `x~ = a + u` inside the image and 0 outside,
/// the filtered plane of ones is `W`, the mass of the (reference 2-D) mask inside the image, and
/// the true moments pick up terms in `1 - W`:
///
/// ```
/// mx  = G u + a W
/// sx  = (G u^2 - (G u)^2) + a (1 - W) (a W + 2 G u)
/// sdd = (G w^2 - (G w)^2) + d (1 - W) (d W + 2 G w),   w = u - v, d = a - b
/// ```
///
/// `W` depends only on which taps fall inside the image: a row class (the interval of tap rows
/// inside) and a column class. The table holds `W` and `1 - W = (1 - S) + (S - W)` (`S` the
/// mask's sum) for every pair of classes, summed in Double from the reference mask, so the small
/// terms keep their digits: Kornia's float32 masks do not sum to 1 (a constant image has a
/// variance of about 1e-7 a^2 there), and the table makes the separable filter carry Kornia's
/// sums.
struct BorderTable: Sendable {
    /// Per scale: the class of every row and of every column.
    let rowClass: [[Int]]
    let columnClass: [[Int32]]
    /// Per scale: `W` and `1 - W`, `[rowClass][columnClass]`, one array per row class.
    let inside: [[[Double]]]
    let outside: [[[Double]]]

    init(reference: [[Double]], half: Int, height: Int, width: Int) {
        let n = 2 * half + 1
        /// The tap intervals inside an axis of length `length`, and each position's class.
        func classes(_ length: Int) -> (intervals: [Range<Int>], classOf: [Int]) {
            var intervals: [Range<Int>] = [], classOf: [Int] = []
            for p in 0..<length {
                let taps = max(0, half - p)..<min(n, length - p + half)
                if let k = intervals.firstIndex(of: taps) { classOf.append(k) } else { classOf.append(intervals.count); intervals.append(taps) }
            }
            return (intervals, classOf)
        }
        let rows = classes(height), columns = classes(width)
        rowClass = reference.map { _ in rows.classOf }
        columnClass = reference.map { _ in columns.classOf.map { Int32($0) } }
        var inside: [[[Double]]] = [], outside: [[[Double]]] = []
        for mask in reference {
            let total = mask.reduce(0, +)
            // prefix[i][j]: the sum of row i's first j taps.
            let prefix = (0..<n).map { i in (0...n).map { j in mask[(i * n)..<(i * n + j)].reduce(0, +) } }
            var wIn: [[Double]] = [], wOut: [[Double]] = []
            for r in rows.intervals {
                var rowIn: [Double] = [], rowOut: [Double] = []
                for c in columns.intervals {
                    let sumIn = r.reduce(0.0) { $0 + (prefix[$1][c.upperBound] - prefix[$1][c.lowerBound]) }
                    rowIn.append(sumIn)
                    rowOut.append((1 - total) + (total - sumIn))
                }
                wIn.append(rowIn); wOut.append(rowOut)
            }
            inside.append(wIn); outside.append(wOut)
        }
        self.inside = inside
        self.outside = outside
    }
}
