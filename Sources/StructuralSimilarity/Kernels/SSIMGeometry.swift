/// The sizes and options shared by the forward and backward kernels of the 2-D SSIM, checked
/// before any kernel runs.
struct SSIMGeometry: Sendable {
    let batch: Int
    let channels: Int
    let height: Int
    let width: Int
    let windowSize: Int
    let padding: Padding

    /// Half the window: the reflect border's width and the `valid` crop.
    var half: Int { windowSize / 2 }
    var planeCount: Int { batch * channels }
    var planeSize: Int { height * width }

    /// The rows of the `same` map that the output keeps.
    var outputRows: Range<Int> { padding == .same ? 0..<height : half..<(height - half) }
    /// The columns of the `same` map that the output keeps.
    var outputColumns: Range<Int> { padding == .same ? 0..<width : half..<(width - half) }
    var outputHeight: Int { outputRows.count }
    var outputWidth: Int { outputColumns.count }
    var outputPlaneSize: Int { outputHeight * outputWidth }
    var outputShape: [Int] { [batch, channels, outputHeight, outputWidth] }
    var outputCount: Int { planeCount * outputPlaneSize }

    /// The row bands the work of a plane is split into: image rows `b * rowsPerBand ..<
    /// (b + 1) * rowsPerBand`. Fixed, so that partial sums, and hence results, do not depend on
    /// the number of threads; the forward and backward passes use the same bands, so they sum the
    /// loss identically.
    var bandsPerPlane: Int { (height + rowsPerBand - 1) / rowsPerBand }

    /// The image rows of band `b`.
    func band(_ b: Int) -> Range<Int> { (b * rowsPerBand)..<min((b + 1) * rowsPerBand, height) }

    /// Index `i` of an axis of length `n` read through a reflect border that does not repeat
    /// the edge (torch 'reflect', OpenCV BORDER_REFLECT_101): -1 reads 1, n reads n - 2.
    /// Valid for -n < i < 2n - 1, which the size checks guarantee.
    @inline(__always)
    static func reflect(_ i: Int, _ n: Int) -> Int {
        if i < 0 { return -i }
        if i >= n { return 2 * (n - 1) - i }
        return i
    }
}

/// The SSIM constants, in units of the dynamic range `L = maxValue`: the kernels work on
/// `(x - shift) / L`, so that `C1 = 0.01^2`, `C2 = 0.03^2`, and `eps` becomes `eps / L^4` (the
/// denominator's unit). The SSIM is the same; nothing overflows for a range near the largest
/// finite value, and for `L = 1` every number is what it was in raw units.
struct SSIMConstants<Scalar: SSIMScalar>: Sendable {
    let c1: Scalar
    let c2: Scalar
    let eps: Scalar
    /// `1 / maxValue`: raw pixel differences times this are in the kernels' units.
    let scale: Scalar

    init(maxValue: Scalar, eps: Scalar) {
        // In Double, then rounded, as torch rounds Kornia's Python-float constants.
        let range = Double(maxValue), unit = 1.0
        c1 = Scalar((0.01 * unit) * (0.01 * unit))
        c2 = Scalar((0.03 * unit) * (0.03 * unit))
        self.eps = Scalar(Double(eps) / ((range * range) * (range * range)))
        scale = Scalar(1 / range)
    }
}

/// A pointer that may cross into `concurrentPerform`'s closure: every task writes a disjoint
/// part of the memory it points to.
struct SharedPointer<Pointee>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Pointee>
}

/// An array of `count` scalars that the caller promises to write in full before reading: large
/// outputs skip the zero fill (a tenth of a forward pass at 4 x 3 x 1024 x 1024).
func arrayToFill<Scalar: SSIMScalar>(count: Int) -> [Scalar] {
    // An empty one is the plain literal: `unsafeUninitializedCapacity: 0` writes its count into
    // the storage that all empty arrays share (ThreadSanitizer saw two threads do it at once).
    guard count > 0 else { return [] }
    return [Scalar](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}
