/// Unaligned SIMD loads and stores on scalar buffers: the kernels' inner loops read and write
/// `Scalar.Vector.scalarCount` elements at a time.
extension UnsafePointer where Pointee: SSIMScalar {
    @inline(__always)
    func vector(at offset: Int) -> Pointee.Vector {
        UnsafeRawPointer(self + offset).loadUnaligned(as: Pointee.Vector.self)
    }
}

extension UnsafeMutablePointer where Pointee: SSIMScalar {
    @inline(__always)
    func vector(at offset: Int) -> Pointee.Vector {
        UnsafeRawPointer(self + offset).loadUnaligned(as: Pointee.Vector.self)
    }

    @inline(__always)
    func setVector(_ value: Pointee.Vector, at offset: Int) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Pointee.Vector.self)
    }
}

/// `count` rounded up to a whole number of vectors of `Scalar`.
@inline(__always)
func vectorPadded<Scalar: SSIMScalar>(_ count: Int, _: Scalar.Type) -> Int {
    let lanes = Scalar.Vector.scalarCount
    return (count + lanes - 1) / lanes * lanes
}

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
