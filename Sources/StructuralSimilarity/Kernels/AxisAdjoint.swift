/// The transposed bordered filter along one axis: `V^T` for the rows of an image, `D^T` for the
/// slices of a volume.
///
/// The forward filter gives output index `o` the sum of `window[k] * input[border(o - half + k)]`
/// for `k` in `0..<2 half + 1`; so input index `i` receives, from every output `o` in `sources`
/// (the outputs whose partials are at hand), the weights of the taps that read it:
///
/// ```
/// V^T[i] = sum over o in sources, k with border(o - half + k) = i   of   window[k] * partial[o]
/// ```
///
/// Away from the edges and from the ends of `sources` (``isInterior(_:)``) that is the
/// symmetric window itself; elsewhere the merged weights of ``taps(_:)``.
struct AxisAdjoint<Scalar: SSIMScalar> {
    /// The length of the axis.
    let length: Int
    /// Half the window.
    let half: Int
    /// What the forward filter read beyond the edges.
    let border: Border
    /// The output indices whose partials are at hand.
    let sources: Range<Int>
    /// The window's `2 half + 1` taps.
    let window: UnsafePointer<Scalar>

    /// Whether input index `i` receives the plain symmetric window: no border reflects onto it,
    /// and every output index it reaches is at hand.
    func isInterior(_ i: Int) -> Bool {
        i > half && i < length - 1 - half && i - half >= sources.lowerBound && i + half < sources.upperBound
    }

    /// The outputs that reach input index `i`, with their merged weights (nil in the interior:
    /// the symmetric window). A zero border reads no input, so it adds no weight.
    func taps(_ i: Int) -> (outputs: [Int], weights: [Scalar])? {
        guard !isInterior(i) else { return nil }
        var outputs: [Int] = [], weights: [Scalar] = []
        for k in 0...(2 * half) {
            for o in sources where border.index(o - half + k, length) == i {
                if let j = outputs.firstIndex(of: o) { weights[j] += window[k] } else { outputs.append(o); weights.append(window[k]) }
            }
        }
        return (outputs, weights)
    }

    /// Input index `i` of the transposed filter, `count` elements into `destination`, from the rows
    /// `row(o)` of the outputs: the symmetric sum in the interior (`taps` nil), else the weighted sum
    /// of ``taps(_:)``. `pointers` is scratch for `2 half + 1` row pointers.
    func apply(
        at i: Int, taps: (outputs: [Int], weights: [Scalar])?, row: (Int) -> UnsafePointer<Scalar>,
        pointers: UnsafeMutablePointer<UnsafePointer<Scalar>>, into destination: UnsafeMutablePointer<Scalar>, count: Int
    ) {
        guard let taps else {
            for k in 0...(2 * half) { pointers[k] = row(i - half + k) }
            InnerLoops.symmetricSum(rows: pointers, window: window, half: half, into: destination, count: count)
            return
        }
        for (j, o) in taps.outputs.enumerated() { pointers[j] = row(o) }
        taps.weights.withUnsafeBufferPointer { weights in
            InnerLoops.weightedSum(rows: pointers, weights: weights.baseAddress!, rowCount: taps.outputs.count, into: destination, count: count)
        }
    }
}
