import CSSIMKernels

/// A band of rows of several planes with a border of zeros `half` wide on every side, and the
/// separable Gaussian filter over it: the zero padding of ``MSSSIMLoss`` (Kornia's
/// `conv2d(..., padding=pad)`).
///
/// Buffer row `i` holds image row `firstRow + i` of each channel, starting `half` columns left of
/// column 0; rows outside `filled` and columns outside `0..<width` are zero. Filtering output
/// rows `r` reads buffer rows `r - half - firstRow ... r + half - firstRow`:
///
/// ```
/// out[r][c] = sum_{j, k} w[j] w[k] band[r + j - half][c + k - half]   (+ a dense residual)
/// ```
///
/// Rows are padded to a multiple of 16 elements (``InnerLoops/padded(_:)``). Its buffers come
/// from a task's ``TaskMemory``.
struct ZeroPaddedBand<Scalar: SSIMScalar> {
    let channels: Int
    let firstRow: Int
    let rowCount: Int
    let width: Int
    let half: Int
    /// Elements per output row: `width` rounded up to a multiple of 16.
    let stride: Int
    /// Elements per buffer row: room for `stride + 2 half`.
    let paddedStride: Int
    let data: UnsafeMutablePointer<Scalar>
    /// The buffer rows that may hold non-zero values.
    let filled: Range<Int>
    /// Scratch: the horizontally filtered rows of one channel, and a row of zeros.
    private let horizontal: UnsafeMutablePointer<Scalar>
    private let zeros: UnsafeMutablePointer<Scalar>
    private let rowPointers: UnsafeMutablePointer<UnsafePointer<Scalar>>
    private let destinations: UnsafeMutablePointer<UnsafeMutablePointer<Scalar>>

    /// A band of `channels` planes covering image rows `rows` widened by `half` each side, of
    /// which the image rows `imageRows` (clamped to the band) are filled.
    init(channels: Int, rows: Range<Int>, imageRows: Range<Int>, width: Int, half: Int, memory: TaskMemory) {
        self.channels = channels
        self.firstRow = rows.lowerBound - half
        self.rowCount = rows.count + 2 * half
        self.width = width
        self.half = half
        // Plain multiples of 16, not InnerLoops.padded's odd ones: with those, the dense correction
        // (ssim_filter2d_add, most of MS-SSIM's time) ran a fifth slower (1x3x256x256 Double:
        // 139 against 115 ms).
        stride = InnerLoops.vectorColumns(width)
        paddedStride = InnerLoops.vectorColumns(stride + 2 * half)
        let first = rows.lowerBound - half
        let lower = min(max(imageRows.lowerBound - first, 0), rowCount)
        let upper = max(min(imageRows.upperBound - first, rowCount), lower)
        filled = lower..<upper
        data = memory.allocate(channels * rowCount * paddedStride)
        data.initialize(repeating: 0, count: channels * rowCount * paddedStride)
        horizontal = memory.allocate(rowCount * stride)
        zeros = memory.allocate(stride)
        zeros.initialize(repeating: 0, count: stride)
        rowPointers = memory.allocate(rowCount + 3)
        destinations = memory.allocate(4)
    }

    /// Column 0 of image row `row` of `channel` (writable for `width` elements).
    @inline(__always)
    func pixels(_ channel: Int, row: Int) -> UnsafeMutablePointer<Scalar> {
        data + (channel * rowCount + row - firstRow) * paddedStride + half
    }

    /// The image rows the band holds data for.
    var filledImageRows: Range<Int> { (firstRow + filled.lowerBound)..<(firstRow + filled.upperBound) }

    /// Filters `channel` with the 2-D mask `window[j] window[k]` (plus `residual`, a dense
    /// `(2 rho + 1)^2` correction, when given) at image rows `rows`, writing row `r` to
    /// `out + (r - rows.lowerBound) * stride` (`stride` elements, the first `width` meaningful).
    func filter(
        _ channel: Int, window: UnsafePointer<Scalar>, residual: (half: Int, taps: UnsafePointer<Scalar>)?,
        rows: Range<Int>, into out: UnsafeMutablePointer<Scalar>
    ) {
        let taps = 2 * half + 1
        let base = data + channel * rowCount * paddedStride
        // Horizontal pass over the filled rows the output reads.
        let needed = (rows.lowerBound - firstRow - half)..<(rows.upperBound - firstRow + half)
        let computed = needed.clamped(to: filled)
        for i in computed {
            InnerLoops.correlate(base + i * paddedStride, into: horizontal + i * stride, count: stride, window: window, half: half)
        }
        func horizontalRow(_ i: Int) -> UnsafePointer<Scalar> {
            computed.contains(i) ? UnsafePointer(horizontal + i * stride) : UnsafePointer(zeros)
        }
        // Vertical pass, four rows at a time where the C loop can.
        var r = rows.lowerBound
        while r < rows.upperBound {
            let group = rows.upperBound - r >= 4 && taps >= 3 ? 4 : 1
            let top = r - half - firstRow
            for j in 0..<(taps + group - 1) { rowPointers[j] = horizontalRow(top + j) }
            let o = out + (r - rows.lowerBound) * stride
            if group == 4 {
                for g in 0..<4 { destinations[g] = o + g * stride }
                InnerLoops.filter4(rows: rowPointers, window: window, taps: taps, into: destinations, count: stride)
            } else {
                InnerLoops.symmetricSum(rows: rowPointers, window: window, half: half, into: o, count: stride)
            }
            r += group
        }
        // The dense residual straight from the unfiltered rows.
        guard let residual else { return }
        let rho = residual.half
        for r in rows {
            let top = r - rho - firstRow
            for j in 0...(2 * rho) { rowPointers[j] = UnsafePointer(base + (top + j) * paddedStride + half - rho) }
            InnerLoops.filter2DAdd(rows: rowPointers, mask: residual.taps, taps: 2 * rho + 1, into: out + (r - rows.lowerBound) * stride, count: stride)
        }
    }
}

extension InnerLoops {
    /// `dst[c] += sum_{j, k} mask[j taps + k] rows[j][c + k]` for `c` in `0..<count`: a dense
    /// 2-D window added onto a row (see `ssim_filter2d_add_f`).
    @inline(__always)
    static func filter2DAdd<Scalar: SSIMScalar>(
        rows: UnsafePointer<UnsafePointer<Scalar>>, mask: UnsafePointer<Scalar>, taps: Int,
        into destination: UnsafeMutablePointer<Scalar>, count: Int
    ) {
        let rowsRaw = UnsafeRawPointer(rows), maskRaw = UnsafeRawPointer(mask), dst = UnsafeMutableRawPointer(destination)
        if Scalar.self == Float.self {
            ssim_filter2d_add_f(
                rowsRaw.assumingMemoryBound(to: UnsafePointer<Float>?.self), maskRaw.assumingMemoryBound(to: Float.self),
                taps, dst.assumingMemoryBound(to: Float.self), count)
        } else {
            ssim_filter2d_add_d(
                rowsRaw.assumingMemoryBound(to: UnsafePointer<Double>?.self), maskRaw.assumingMemoryBound(to: Double.self),
                taps, dst.assumingMemoryBound(to: Double.self), count)
        }
    }
}
