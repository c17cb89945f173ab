/// FFmpeg's `ssim` filter (libavfilter/vf_ssim.c, x264's algorithm by Loren Merritt) on one
/// plane, with its integer and float arithmetic: `--convention ffmpeg`.
///
/// ```
/// blocks   4 x 4 sums s1 = sum a, s2 = sum b, ss = sum a^2 + b^2, s12 = sum a b on a 4-pixel grid,
///          over the floor(W / 4) x floor(H / 4) blocks (the last W mod 4 columns and H mod 4 rows unread)
/// windows  8 x 8: the sums of 2 x 2 neighbouring blocks, (W/4 - 1) x (H/4 - 1) of them
/// c1 = int(.01^2 M^2 64 + .5), c2 = int(.03^2 M^2 64 63 + .5)   (M = 2^depth - 1; 416 and 235963 at 8 bits)
/// vars = 64 ss - s1^2 - s2^2,  covar = 64 s12 - s1 s2                     (integers)
/// window = float(2 s1 s2 + c1) float(2 covar + c2) / (float(s1^2 + s2^2 + c1) float(vars + c2))
/// plane  = sum of the windows / ((W/4 - 1)(H/4 - 1))
/// ```
///
/// Each window is a Float as FFmpeg computes it. At 8 bits the windows of a row are summed in
/// Double (FFmpeg's `ssim_endn_8bit`); above, in Float (`ssim_endn_16bit`); the rows in Double.
/// In terms of ``SSIMOptions``: an 8 x 8 uniform window, population moments, C1 = c1 / 4096
/// (`(K1 L)^2 / 64`: x264's C1 is 64 times Wang's) and C2 = c2 / 4096 (`(K2 L)^2 63 / 64`, that
/// is Wang's C2 with the sample covariance), valid positions every 4 pixels; the library takes
/// odd windows and every position only, hence this file (see Documentation/CommandLine.md).
/// (The examples of this executable module are not type-checked: no module can import it; the
/// tests run them through the command.)
///
/// ```
/// let a = [UInt8](repeating: 100, count: 64), b = [UInt8](repeating: 110, count: 64)
/// let s = a.withUnsafeBytes { x in b.withUnsafeBytes { y in FFmpegSSIM.plane(x, y, width: 8, height: 8, bitDepth: 8) } }
/// ```
enum FFmpegSSIM {
    /// The smallest plane FFmpeg's filter measures: one 8 x 8 window.
    static let smallestPlane = 8

    /// The plane's SSIM: the mean of its 8 x 8 windows. `a` and `b` hold `width * height`
    /// samples, bytes at 8 bits, little-endian 16-bit words above (2-byte aligned); `width` and
    /// `height` at least ``smallestPlane``.
    static func plane(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, width: Int, height: Int, bitDepth: Int) -> Double {
        let maximum = Double((1 << bitDepth) - 1)
        let c1 = Int64(0.01 * 0.01 * maximum * maximum * 64 + 0.5)
        let c2 = Int64(0.03 * 0.03 * maximum * maximum * 64 * 63 + 0.5)
        if bitDepth > 8 {
            // (Little-endian words: the samples as UInt16 on a little-endian machine.)
            #if _endian(big)
            let x = a.bindMemory(to: UInt16.self).map { UInt16(littleEndian: $0) }, y = b.bindMemory(to: UInt16.self).map { UInt16(littleEndian: $0) }
            return x.withUnsafeBufferPointer { p in
                y.withUnsafeBufferPointer { q in mean(p, q, width, height, c1: c1, c2: c2, sum: Int64.self, row: Float.self) }
            }
            #else
            return mean(
                a.assumingMemoryBound(to: UInt16.self), b.assumingMemoryBound(to: UInt16.self), width, height, c1: c1, c2: c2,
                sum: Int64.self, row: Float.self)
            #endif
        }
        // At 8 bits every sum fits in Int32 (64 ss <= 64 * 2 * 64 * 255^2 < 2^31), as in FFmpeg's int code.
        return mean(
            a.assumingMemoryBound(to: UInt8.self), b.assumingMemoryBound(to: UInt8.self), width, height, c1: c1, c2: c2,
            sum: Int32.self, row: Double.self)
    }

    /// The mean of the windows: integer sums in `Sum`, each window in Float, a row's windows
    /// added up in `Row` (Double at 8 bits, Float above, as FFmpeg does), the rows in Double.
    @inline(__always)
    private static func mean<Sample: FixedWidthInteger & UnsignedInteger, Sum: FixedWidthInteger & SignedInteger, Row: BinaryFloatingPoint>(
        _ a: UnsafeBufferPointer<Sample>, _ b: UnsafeBufferPointer<Sample>, _ width: Int, _ height: Int, c1: Int64, c2: Int64,
        sum _: Sum.Type, row _: Row.Type
    ) -> Double {
        let blocksWide = width >> 2, blocksHigh = height >> 2, columns = 4 * blocksWide
        // Per pixel column of a block row: the sums over its 4 rows; then per block (s1, s2, ss,
        // s12 in four arrays), for the block row above and this one; then the windows of a row.
        let column = UnsafeMutableBufferPointer<Sum>.allocate(capacity: 4 * columns)
        let blocks = UnsafeMutableBufferPointer<Sum>.allocate(capacity: 8 * blocksWide)
        let windows = UnsafeMutableBufferPointer<Float>.allocate(capacity: blocksWide)
        defer { column.deallocate(); blocks.deallocate(); windows.deallocate() }
        let (k1, k2) = (Sum(c1), Sum(c2))
        var above = 0, below = 4 * blocksWide  // offsets of the two block rows in `blocks`
        var total = 0.0
        for blockRow in 0..<blocksHigh {
            blockSums(a, b, width, blockRow, columns, column, UnsafeMutableBufferPointer(rebasing: blocks[below..<below + 4 * blocksWide]))
            if blockRow > 0 {
                windowRow(blocks, above, below, blocksWide, k1, k2, windows)
                var row: Row = 0
                for i in 0..<blocksWide - 1 { row += Row(windows[i]) }
                total += Double(row)
            }
            swap(&above, &below)
        }
        return total / Double((blocksWide - 1) * (blocksHigh - 1))
    }

    /// The sums of the 4 x 4 blocks of block row `blockRow`: s1, s2, ss, s12 each in a quarter of `out`.
    @inline(__always)
    private static func blockSums<Sample: FixedWidthInteger & UnsignedInteger, Sum: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<Sample>, _ b: UnsafeBufferPointer<Sample>, _ width: Int, _ blockRow: Int, _ columns: Int,
        _ column: UnsafeMutableBufferPointer<Sum>, _ out: UnsafeMutableBufferPointer<Sum>
    ) {
        let base = column.baseAddress!, s1 = base, s2 = base + columns, ss = base + 2 * columns, s12 = base + 3 * columns
        for row in 0..<4 {
            let x = a.baseAddress! + (4 * blockRow + row) * width, y = b.baseAddress! + (4 * blockRow + row) * width
            if row == 0 {
                for i in 0..<columns {
                    let (p, q) = (Sum(truncatingIfNeeded: x[i]), Sum(truncatingIfNeeded: y[i]))
                    s1[i] = p
                    s2[i] = q
                    ss[i] = p &* p &+ q &* q
                    s12[i] = p &* q
                }
            } else {
                for i in 0..<columns {
                    let (p, q) = (Sum(truncatingIfNeeded: x[i]), Sum(truncatingIfNeeded: y[i]))
                    s1[i] &+= p
                    s2[i] &+= q
                    ss[i] &+= p &* p &+ q &* q
                    s12[i] &+= p &* q
                }
            }
        }
        let blocksWide = columns / 4, o = out.baseAddress!
        for (k, sums) in [s1, s2, ss, s12].enumerated() {
            let target = o + k * blocksWide
            for i in 0..<blocksWide {
                let c = i &* 4
                target[i] = sums[c] &+ sums[c &+ 1] &+ sums[c &+ 2] &+ sums[c &+ 3]
            }
        }
    }

    /// The `blocksWide - 1` windows between two block rows, each FFmpeg's `ssim_end1` in Float.
    @inline(__always)
    private static func windowRow<Sum: FixedWidthInteger & SignedInteger>(
        _ blocks: UnsafeMutableBufferPointer<Sum>, _ above: Int, _ below: Int, _ blocksWide: Int, _ c1: Sum, _ c2: Sum,
        _ windows: UnsafeMutableBufferPointer<Float>
    ) {
        let up = blocks.baseAddress! + above, down = blocks.baseAddress! + below, n = blocksWide
        // One pointer per sum and block row, and wrapping index arithmetic: a loop the compiler vectorizes.
        let (u1, u2, u3, u4) = (up, up + n, up + 2 * n, up + 3 * n)
        let (d1, d2, d3, d4) = (down, down + n, down + 2 * n, down + 3 * n)
        let out = windows.baseAddress!
        for i in 0..<n - 1 {
            let j = i &+ 1
            let s1 = u1[i] &+ u1[j] &+ d1[i] &+ d1[j]
            let s2 = u2[i] &+ u2[j] &+ d2[i] &+ d2[j]
            let ss = u3[i] &+ u3[j] &+ d3[i] &+ d3[j]
            let s12 = u4[i] &+ u4[j] &+ d4[i] &+ d4[j]
            let variance = ss &* 64 &- s1 &* s1 &- s2 &* s2
            let covariance = s12 &* 64 &- s1 &* s2
            let numerator = Float(2 &* s1 &* s2 &+ c1) * Float(2 &* covariance &+ c2)
            let denominator = Float(s1 &* s1 &+ s2 &* s2 &+ c1) * Float(variance &+ c2)
            out[i] = numerator / denominator
        }
    }

    /// FFmpeg's dB figure of an SSIM `ssim` that is a sum over `weight` frames (1 for one
    /// frame): `10 log10(weight / (weight - ssim))`, infinity when they differ by 1e-9 or less.
    ///
    /// ```
    /// FFmpegSSIM.decibels(0.9)   // 10
    /// ```
    static func decibels(_ ssim: Double, weight: Double = 1) -> Double {
        abs(weight - ssim) > 1e-9 ? 10 * log10(weight / (weight - ssim)) : .infinity
    }
}
