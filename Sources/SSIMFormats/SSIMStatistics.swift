import StructuralSimilarity

/// An SSIM map reduced to one value per position: the lowest SSIM over the channels, so that a
/// change in one colour channel is not averaged away by the two others.
///
/// ```
/// local(b, y, x) = min over c of map(b, c, y, x)        (NaN if any channel is NaN)
/// ```
///
/// This is the map that ``SSIMStatistics``, ``DifferenceOverlay`` and the `ssim` command's
/// `--stats` and `--diff` read; for grey images it is the SSIM map itself.
///
/// ```swift
/// let map = try ssim(a, b, windowSize: 11)          // (1, 3, H, W)
/// let local = try LocalSSIMMap(map)                 // (1, H, W) of per-position minima
/// print(local.fraction(below: 0.8))
/// ```
public struct LocalSSIMMap: Equatable, Sendable {
    /// The number of images (the map's batch axis).
    public let count: Int
    /// The number of rows.
    public let height: Int
    /// The number of columns.
    public let width: Int
    /// `count * height * width` values, image by image, rows top to bottom.
    public let values: [Double]

    /// The per-position minimum over the channels of an SSIM map of shape `(B, C, H, W)`.
    ///
    /// ```swift
    /// let local = try LocalSSIMMap(try ssim(a, b, windowSize: 11))
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for another rank or an empty map.
    public init<Scalar: BinaryFloatingPoint>(_ map: Tensor<Scalar>) throws {
        let shape = map.shape
        guard shape.count == 4, !shape.contains(0) else {
            throw FormatError.invalidImageShape(
                shape, expected: "an SSIM map of shape (B, C, H, W) with no axis of length 0")
        }
        let (count, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        let plane = height * width
        let scalars = doubles(map)
        var values = [Double](repeating: .infinity, count: count * plane)
        values.withUnsafeMutableBufferPointer { values in
            for image in 0..<count {
                for channel in 0..<channels {
                    let start = (image * channels + channel) * plane
                    for pixel in 0..<plane {
                        let value = scalars[start + pixel]
                        let index = image * plane + pixel
                        if value.isNaN || values[index].isNaN {
                            values[index] = .nan
                        } else if value < values[index] {
                            values[index] = value
                        }
                    }
                }
            }
        }
        (self.count, self.height, self.width, self.values) = (count, height, width, values)
    }

    /// Creates a map from its values (`count * height * width` of them).
    ///
    /// ```swift
    /// let local = try LocalSSIMMap(count: 1, height: 1, width: 2, values: [1, 0.5])
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` when the count does not match.
    public init(count: Int, height: Int, width: Int, values: [Double]) throws {
        guard count > 0, height > 0, width > 0, values.count == count * height * width else {
            throw FormatError.invalidImageShape(
                [count, height, width], expected: "positive sides and count * height * width values, not \(values.count)")
        }
        (self.count, self.height, self.width, self.values) = (count, height, width, values)
    }

    /// The value at column `x`, row `y` of image `image`.
    ///
    /// ```swift
    /// let corner = local[0, 0, 0]
    /// ```
    public subscript(image: Int, x: Int, y: Int) -> Double {
        values[(image * height + y) * width + x]
    }

    /// The fraction of positions whose SSIM is below `threshold` (NaN counts as below).
    ///
    /// ```swift
    /// local.fraction(below: 0.8)   // 0.0012: 0.12 % of the map
    /// ```
    public func fraction(below threshold: Double) -> Double {
        Double(values.count { $0.isNaN || $0 < threshold }) / Double(values.count)
    }

    /// The map of one image as a `(1, 1, H, W)` tensor, for ``HeatMap``.
    ///
    /// ```swift
    /// let heat = try HeatMap(scale: .automatic).render(try local.tensor(image: 0))
    /// ```
    public func tensor(image: Int = 0) throws -> Tensor<Double> {
        let plane = height * width
        return try Tensor(shape: [1, 1, height, width], scalars: Array(values[(image * plane)..<((image + 1) * plane)]))
    }
}

/// What an SSIM map and the two images it came from say beyond the mean: the low percentiles of
/// the local map (``LocalSSIMMap``), its worst window, and the PSNR and MSE of the images.
///
/// ```
/// p-th percentile: sorted local values v_0 <= ... <= v_(n-1), position p/100 (n - 1),
///                  interpolated linearly between its neighbours (NumPy's default)
/// MSE  = mean over every element of ((x - y) / L)^2        (in units of the data range L)
/// PSNR = 10 log10(1 / MSE) dB                               (+infinity for identical images)
/// ```
///
/// NaN values sort below every number (so a NaN map has a NaN minimum and worst window).
///
/// ```swift
/// let map = try ssim(a, b, windowSize: 11)
/// let stats = try SSIMStatistics(map: map, a, b, dataRange: 1)
/// print(stats.p1, stats.worst.x, stats.worst.y, stats.worst.ssim, stats.psnr)
/// ```
public struct SSIMStatistics: Equatable, Sendable {
    /// A position of the local map and its SSIM.
    public struct Window: Equatable, Sendable {
        /// The image of the batch (0 for a single image).
        public var image: Int
        /// The column of the window's centre, in map coordinates (the image's with padding `same`).
        public var x: Int
        /// The row of the window's centre.
        public var y: Int
        /// The window's SSIM (the lowest over the channels).
        public var ssim: Double
    }

    /// The lowest local SSIM.
    public var minimum: Double
    /// The 1st percentile of the local map.
    public var p1: Double
    /// The 5th percentile.
    public var p5: Double
    /// The median.
    public var p50: Double
    /// The window of lowest SSIM (the first in row-major order among equals).
    public var worst: Window
    /// The peak signal-to-noise ratio in decibels, over the whole images.
    public var psnr: Double
    /// The mean squared error over the whole images, in units of the data range squared.
    public var mse: Double

    /// Computes the statistics of `map`, the SSIM map of `x` and `y`, whose data range is `dataRange`.
    ///
    /// ```swift
    /// let stats = try SSIMStatistics(map: try ssim(a, b, windowSize: 11), a, b, dataRange: 1)
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for a map that is not `(B, C, H, W)`
    ///   or images of different element counts.
    public init<Scalar: BinaryFloatingPoint>(map: Tensor<Scalar>, _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, dataRange: Double) throws {
        try self.init(local: LocalSSIMMap(map), x, y, dataRange: dataRange)
    }

    /// Computes the statistics from a local map already made.
    ///
    /// ```swift
    /// let stats = try SSIMStatistics(local: try LocalSSIMMap(map), a, b, dataRange: 1)
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for images of different element counts.
    public init<Scalar: BinaryFloatingPoint>(local: LocalSSIMMap, _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, dataRange: Double) throws {
        guard x.scalars.count == y.scalars.count, !x.scalars.isEmpty else {
            throw FormatError.invalidImageShape(y.shape, expected: "the shape of the first image, \(x.shape)")
        }
        // NaN first, then the numbers in ascending order: only the ranks the percentiles read are
        // put in place (a selection, not a sort of the whole map).
        var numbers = local.values.filter { !$0.isNaN }
        let nanCount = local.values.count - numbers.count
        let n = local.values.count
        var ranks: [Int] = [0]
        for p in [1.0, 5, 50] {
            let position = Int((p / 100 * Double(n - 1)).rounded(.down))
            ranks += [position, min(position + 1, n - 1)]
        }
        var ordered: [Int: Double] = [:]
        var start = 0
        for rank in Set(ranks).sorted() {
            if rank < nanCount { ordered[rank] = .nan; continue }
            let k = rank - nanCount
            Self.select(&numbers, k, from: start)
            ordered[rank] = numbers[k]
            start = k + 1
        }
        func percentile(_ p: Double) -> Double { Self.interpolated(p, count: n) { ordered[$0]! } }
        minimum = ordered[0]!
        p1 = percentile(1)
        p5 = percentile(5)
        p50 = percentile(50)
        var worstIndex = 0
        for (index, value) in local.values.enumerated() {
            let best = local.values[worstIndex]
            if best.isNaN { break }
            if value.isNaN || value < best { worstIndex = index }
        }
        let plane = local.height * local.width
        worst = Window(
            image: worstIndex / plane, x: worstIndex % local.width, y: (worstIndex % plane) / local.width,
            ssim: local.values[worstIndex])
        var sum = 0.0
        if let a = x as? Tensor<Float>, let b = y as? Tensor<Float> {
            let (a, b) = (a.scalars, b.scalars)
            for index in 0..<a.count {
                let difference = (Double(a[index]) - Double(b[index])) / dataRange
                sum += difference * difference
            }
        } else {
            let a = doubles(x), b = doubles(y)
            for index in 0..<a.count {
                let difference = (a[index] - b[index]) / dataRange
                sum += difference * difference
            }
        }
        mse = sum / Double(x.scalars.count)
        psnr = mse == 0 ? .infinity : 10 * Self.log10(1 / mse)
    }

    /// The `p`-th percentile (0...100) of ascending `sorted` values, interpolated linearly.
    ///
    /// ```swift
    /// SSIMStatistics.percentile([0, 1, 2, 3, 4], 50)   // 2
    /// ```
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return interpolated(p, count: sorted.count) { sorted[$0] }
    }

    /// The `p`-th percentile of `n` ascending values read by rank through `value`: position
    /// `p/100 (n - 1)`, interpolated linearly between its neighbours (NumPy's default).
    private static func interpolated(_ p: Double, count n: Int, _ value: (Int) -> Double) -> Double {
        let position = p / 100 * Double(n - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, n - 1)
        let (a, b) = (value(lower), value(upper))
        let fraction = position - Double(lower)
        if fraction == 0 || a == b { return a }
        return a + fraction * (b - a)
    }

    /// Puts the `k`-th smallest of `values[start...]` at index `k`, the smaller ones before it and
    /// the larger after (quickselect with a three-way partition: maps hold many equal values).
    static func select(_ values: inout [Double], _ k: Int, from start: Int) {
        var (low, high) = (start, values.count)
        while high - low > 1 {
            let (a, b, c) = (values[low], values[(low + high) / 2], values[high - 1])
            let pivot = max(min(a, b), min(max(a, b), c))
            var (less, index, greater) = (low, low, high - 1)
            while index <= greater {
                if values[index] < pivot {
                    values.swapAt(less, index); less += 1; index += 1
                } else if values[index] > pivot {
                    values.swapAt(index, greater); greater -= 1
                } else {
                    index += 1
                }
            }
            if k < less { high = less } else if k > greater { low = greater + 1 } else { return }
        }
    }

    /// `log10`, the C library's (``SSIMFormats`` imports it in one file, `Platform.swift`).
    static func log10(_ value: Double) -> Double { decimalLogarithm(value) }
}

/// The scalars of a tensor as `Double`s, through a concrete (fast) conversion for Float and
/// Double: a generic function called from another module is not specialized.
func doubles<Scalar: BinaryFloatingPoint>(_ tensor: Tensor<Scalar>) -> [Double] {
    if let float = tensor as? Tensor<Float> { return float.scalars.map(Double.init) }
    if let double = tensor as? Tensor<Double> { return double.scalars }
    return tensor.scalars.map { Double($0) }
}
