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
///
/// ```swift
/// let a = [UInt8](repeating: 100, count: 64), b = [UInt8](repeating: 110, count: 64)
/// let s = a.withUnsafeBytes { x in b.withUnsafeBytes { y in FFmpegSSIM.plane(x, y, width: 8, height: 8, bitDepth: 8) } }
/// ```
enum FFmpegSSIM {
    /// The smallest plane FFmpeg's filter measures: one 8 x 8 window.
    static let smallestPlane = 8

    /// The plane's SSIM: the mean of its 8 x 8 windows. `a` and `b` hold `width * height`
    /// samples, bytes at 8 bits, little-endian 16-bit words above; `width` and `height` at least
    /// ``smallestPlane``.
    static func plane(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, width: Int, height: Int, bitDepth: Int) -> Double {
        let blocksWide = width >> 2, blocksHigh = height >> 2
        let maximum = Double((1 << bitDepth) - 1)
        let c1 = Int64(0.01 * 0.01 * maximum * maximum * 64 + 0.5)
        let c2 = Int64(0.03 * 0.03 * maximum * maximum * 64 * 63 + 0.5)
        // Two rows of block sums (s1, s2, ss, s12 per block): the row above and this one.
        var above = [Int64](repeating: 0, count: 4 * blocksWide), below = above
        blockSums(a, b, width: width, blockRow: 0, blocksWide: blocksWide, bitDepth: bitDepth, into: &above)
        var total = 0.0
        for blockRow in 1..<blocksHigh {
            blockSums(a, b, width: width, blockRow: blockRow, blocksWide: blocksWide, bitDepth: bitDepth, into: &below)
            total += above.withUnsafeBufferPointer { up in
                below.withUnsafeBufferPointer { down in
                    bitDepth > 8
                        ? Double(rowSum(up, down, count: blocksWide - 1, c1: c1, c2: c2, as: Float.self))
                        : rowSum(up, down, count: blocksWide - 1, c1: c1, c2: c2, as: Double.self)
                }
            }
            swap(&above, &below)
        }
        return total / Double((blocksWide - 1) * (blocksHigh - 1))
    }

    /// FFmpeg's dB figure of an SSIM `ssim` that is a sum over `weight` frames (1 for one
    /// frame): `10 log10(weight / (weight - ssim))`, infinity when they differ by 1e-9 or less.
    ///
    /// ```swift
    /// FFmpegSSIM.decibels(0.9)   // 10
    /// ```
    static func decibels(_ ssim: Double, weight: Double = 1) -> Double {
        abs(weight - ssim) > 1e-9 ? 10 * log10(weight / (weight - ssim)) : .infinity
    }

    /// The sums of block row `blockRow` (4 pixel rows), block after block.
    private static func blockSums(
        _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, width: Int, blockRow: Int, blocksWide: Int,
        bitDepth: Int, into sums: inout [Int64]
    ) {
        sums.withUnsafeMutableBufferPointer { out in
            if bitDepth > 8 {
                let x = a.assumingMemoryBound(to: UInt16.self), y = b.assumingMemoryBound(to: UInt16.self)
                accumulate(width: width, blockRow: blockRow, blocksWide: blocksWide, into: out) {
                    (Int64(UInt16(littleEndian: x[$0])), Int64(UInt16(littleEndian: y[$0])))
                }
            } else {
                let x = a.assumingMemoryBound(to: UInt8.self), y = b.assumingMemoryBound(to: UInt8.self)
                accumulate(width: width, blockRow: blockRow, blocksWide: blocksWide, into: out) { (Int64(x[$0]), Int64(y[$0])) }
            }
        }
    }

    @inline(__always)
    private static func accumulate(
        width: Int, blockRow: Int, blocksWide: Int, into out: UnsafeMutableBufferPointer<Int64>,
        _ sample: (Int) -> (Int64, Int64)
    ) {
        for block in 0..<blocksWide {
            var s1: Int64 = 0, s2: Int64 = 0, ss: Int64 = 0, s12: Int64 = 0
            for row in 0..<4 {
                let start = (4 * blockRow + row) * width + 4 * block
                for i in start..<start + 4 {
                    let (p, q) = sample(i)
                    s1 &+= p
                    s2 &+= q
                    ss &+= p &* p &+ q &* q
                    s12 &+= p &* q
                }
            }
            out[4 * block] = s1
            out[4 * block + 1] = s2
            out[4 * block + 2] = ss
            out[4 * block + 3] = s12
        }
    }

    /// The sum of one row of `count` windows (blocks `i`, `i + 1` of both block rows), each in
    /// Float, added up in `Sum` (Double at 8 bits, Float above, as FFmpeg does).
    @inline(__always)
    private static func rowSum<Sum: BinaryFloatingPoint>(
        _ up: UnsafeBufferPointer<Int64>, _ down: UnsafeBufferPointer<Int64>, count: Int, c1: Int64, c2: Int64, as _: Sum.Type
    ) -> Sum {
        var sum: Sum = 0
        for i in 0..<count {
            let j = 4 * i
            let s1 = up[j] &+ up[j + 4] &+ down[j] &+ down[j + 4]
            let s2 = up[j + 1] &+ up[j + 5] &+ down[j + 1] &+ down[j + 5]
            let ss = up[j + 2] &+ up[j + 6] &+ down[j + 2] &+ down[j + 6]
            let s12 = up[j + 3] &+ up[j + 7] &+ down[j + 3] &+ down[j + 7]
            let variance = ss &* 64 &- s1 &* s1 &- s2 &* s2
            let covariance = s12 &* 64 &- s1 &* s2
            let numerator = Float(2 &* s1 &* s2 &+ c1) * Float(2 &* covariance &+ c2)
            let denominator = Float(s1 &* s1 &+ s2 &* s2 &+ c1) * Float(variance &+ c2)
            sum += Sum(numerator / denominator)
        }
        return sum
    }
}
