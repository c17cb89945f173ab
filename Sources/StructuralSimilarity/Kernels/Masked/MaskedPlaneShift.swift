import Dispatch

/// About the mean of a plane's weighted pixels, rounded to `Scalar`: the shift that centres the
/// weighted moments (see ``forEachWeightedMomentRow(x:y:w:shift1:shift2:scale:geometry:window:rows:workspace:_:)``).
/// ``planeShift(_:count:)``'s strided sample of at most 4096 pixels, skipping those of weight 0:
/// with every weight positive it is that shift, bit for bit; a hidden pixel (NaN, or any value)
/// changes nothing.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func maskedPlaneShift<Scalar: SSIMScalar>(_ x: UnsafePointer<Scalar>, weights w: UnsafePointer<Scalar>, count: Int) -> Scalar {
    let step = max(1, count / 4096)
    var total = 0.0, samples = 0
    for i in Swift.stride(from: 0, to: count, by: step) where w[i] != 0 {
        total += Double(x[i])
        samples += 1
    }
    let mean = Scalar(total / Double(samples))
    return mean.isFinite ? mean : 0
}

/// The shifts of every plane of `x` and `y` under their weight planes, in parallel:
/// `shifts[2 p]` for plane `p` of `x`, `shifts[2 p + 1]` for `y`; all zero unless `centres`.
func maskedPlaneShifts<Scalar: SSIMScalar>(
    _ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, weights: WeightPlanes<Scalar>, geometry g: SSIMGeometry, centres: Bool
) -> [Scalar] {
    guard centres else { return [Scalar](repeating: 0, count: 2 * g.planeCount) }
    let xs = SharedPointer(base: UnsafeMutablePointer(mutating: x)), ys = SharedPointer(base: UnsafeMutablePointer(mutating: y))
    return weights.scalars.withUnsafeBufferPointer { wb in
        let ws = SharedPointer(base: UnsafeMutablePointer(mutating: wb.baseAddress!))
        return filledArray(count: 2 * g.planeCount) { shifts in
            DispatchQueue.concurrentPerform(iterations: 2 * g.planeCount) { i in
                let plane = i / 2
                shifts!.base[i] = maskedPlaneShift(
                    (i % 2 == 0 ? xs.base : ys.base) + plane * g.planeSize, weights: ws.base + weights.index(ofPlane: plane) * g.planeSize,
                    count: g.planeSize)
            }
        }
    }
}
