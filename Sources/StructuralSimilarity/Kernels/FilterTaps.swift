/// The sources and weights of one output of a reflect-bordered filter: output `i` of an axis
/// of length `n` is the sum over taps `k` of `window[k] * input[reflect(i - half + k)]`; taps
/// that reflect onto the same input are merged.
struct FilterTaps<Scalar: SSIMScalar> {
    var sources: [Int] = []
    var weights: [Scalar] = []

    init(output i: Int, length n: Int, window: UnsafePointer<Scalar>, taps: Int) {
        let half = taps / 2
        for k in 0..<taps {
            let source = SSIMGeometry.reflect(i - half + k, n)
            if let j = sources.firstIndex(of: source) {
                weights[j] += window[k]
            } else {
                sources.append(source)
                weights.append(window[k])
            }
        }
    }
}
