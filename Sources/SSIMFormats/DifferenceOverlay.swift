import StructuralSimilarity

/// A rectangle of the image around positions whose local SSIM is below a threshold.
///
/// ```swift
/// for region in DifferenceOverlay().regions(in: local) {
///     print(region.x, region.y, region.width, region.height, region.minimumSSIM)
/// }
/// ```
public struct DifferenceRegion: Equatable, Sendable {
    /// The left column, in map coordinates.
    public var x: Int
    /// The top row.
    public var y: Int
    /// The number of columns.
    public var width: Int
    /// The number of rows.
    public var height: Int
    /// How many positions of the region are below the threshold.
    public var count: Int
    /// The lowest SSIM in the region.
    public var minimumSSIM: Double
    /// The column of that lowest SSIM.
    public var worstX: Int
    /// The row of that lowest SSIM.
    public var worstY: Int
}

/// Draws where two images differ: the reference faded to a pale grey, the positions whose local
/// SSIM (``LocalSSIMMap``) is below ``threshold`` tinted red, and a red box around each region
/// of them.
///
/// Positions below the threshold closer than ``mergeDistance`` (in either direction) join one
/// region, so a changed word gets one box, not one per letter. The `ssim` command's `--diff` and
/// the SSIMTesting library draw the same picture.
///
/// ```swift
/// let map = try ssim(reference, actual, windowSize: 11)
/// let local = try LocalSSIMMap(map)
/// let overlay = try DifferenceOverlay(threshold: 0.7).render(reference: reference, map: local)
/// try ImageFile.write(overlay, to: "diff.png")
/// ```
public struct DifferenceOverlay: Sendable {
    /// The local SSIM below which a position differs unless told otherwise.
    public static let defaultThreshold = 0.7
    /// The distance in positions within which differing positions join one region, unless told otherwise.
    public static let defaultMergeDistance = 6

    /// The local SSIM below which a position counts as different.
    public var threshold: Double
    /// Differing positions at most this far apart (Chebyshev distance) join one region.
    public var mergeDistance: Int

    static let box: (UInt8, UInt8, UInt8) = (220, 20, 20)

    /// Creates a renderer.
    ///
    /// ```swift
    /// let overlay = DifferenceOverlay(threshold: 0.7, mergeDistance: 6)
    /// ```
    public init(threshold: Double = defaultThreshold, mergeDistance: Int = defaultMergeDistance) {
        (self.threshold, self.mergeDistance) = (threshold, max(0, mergeDistance))
    }

    /// The regions of image `image` of the map whose positions are below ``threshold`` (NaN
    /// counts as below), lowest SSIM first.
    ///
    /// ```swift
    /// let regions = DifferenceOverlay().regions(in: try LocalSSIMMap(map))
    /// ```
    public func regions(in map: LocalSSIMMap, image: Int = 0) -> [DifferenceRegion] {
        let (width, height) = (map.width, map.height)
        let plane = width * height
        let base = image * plane
        var below = [Bool](repeating: false, count: plane)
        for index in 0..<plane {
            let value = map.values[base + index]
            below[index] = value.isNaN || value < threshold
        }
        // Dilate by mergeDistance (separable max filter), then label 8-connected components.
        let dilated = Self.dilate(below, width: width, height: height, radius: mergeDistance)
        var label = [Int](repeating: -1, count: plane)
        var regions: [DifferenceRegion] = []
        var stack: [Int] = []
        for start in 0..<plane where dilated[start] && label[start] < 0 {
            var region = DifferenceRegion(
                x: .max, y: .max, width: 0, height: 0, count: 0, minimumSSIM: .infinity, worstX: 0, worstY: 0)
            var (right, bottom) = (Int.min, Int.min)
            label[start] = regions.count
            stack.append(start)
            while let index = stack.popLast() {
                let (x, y) = (index % width, index / width)
                if below[index] {
                    let value = map.values[base + index]
                    region.count += 1
                    region.x = min(region.x, x); region.y = min(region.y, y)
                    right = max(right, x); bottom = max(bottom, y)
                    let lower = value.isNaN ? !region.minimumSSIM.isNaN : value < region.minimumSSIM
                    let tie = value == region.minimumSSIM && (y, x) < (region.worstY, region.worstX)
                    if lower || tie {
                        (region.minimumSSIM, region.worstX, region.worstY) = (value, x, y)
                    }
                }
                for dy in -1...1 {
                    for dx in -1...1 {
                        let (nx, ny) = (x + dx, y + dy)
                        guard nx >= 0, ny >= 0, nx < width, ny < height else { continue }
                        let neighbour = ny * width + nx
                        if dilated[neighbour] && label[neighbour] < 0 {
                            label[neighbour] = regions.count
                            stack.append(neighbour)
                        }
                    }
                }
            }
            if region.count > 0 {
                region.width = right - region.x + 1
                region.height = bottom - region.y + 1
                regions.append(region)
            }
        }
        let key: (Double) -> Double = { $0.isNaN ? -.infinity : $0 }
        return regions.enumerated().sorted {
            (key($0.element.minimumSSIM), $0.offset) < (key($1.element.minimumSSIM), $1.offset)
        }.map(\.element)
    }

    /// Renders the overlay over image 0 of `reference`, `(B, C, H, W)` with C = 1 or 3 and
    /// values in [0, 1].
    ///
    /// A map smaller than the image (padding `valid`) is centred on it; its regions are drawn
    /// at the image position of their windows' centres.
    ///
    /// ```swift
    /// let picture = try DifferenceOverlay().render(reference: reference, map: try LocalSSIMMap(map))
    /// ```
    ///
    /// - Parameters:
    ///   - reference: the picture drawn under the boxes.
    ///   - map: the local SSIM map of the comparison.
    ///   - regions: the map's ``regions(in:image:)`` when the caller already has them (they are
    ///     found again otherwise).
    /// - Returns: an RGB image of the reference's size.
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` for another shape of reference, or
    ///   a map larger than it.
    public func render<Scalar: BinaryFloatingPoint>(
        reference: Tensor<Scalar>, map: LocalSSIMMap, regions: [DifferenceRegion]? = nil
    ) throws -> RGB8Image {
        let shape = reference.shape
        guard shape.count == 4, shape[0] >= 1, shape[1] == 1 || shape[1] == 3, shape[2] >= 1, shape[3] >= 1 else {
            throw FormatError.invalidImageShape(shape, expected: "(B, C, H, W) with C = 1 (grey) or 3 (RGB)")
        }
        let (channels, height, width) = (shape[1], shape[2], shape[3])
        guard map.width <= width, map.height <= height else {
            throw FormatError.invalidImageShape(
                [map.height, map.width], expected: "a map no larger than the reference, \(height) x \(width)")
        }
        let (offsetX, offsetY) = ((width - map.width) / 2, (height - map.height) / 2)
        let plane = width * height
        var image = RGB8Image(width: width, height: height, color: (255, 255, 255))
        let scalars = doubles(reference)
        for y in 0..<height {
            for x in 0..<width {
                let pixel = y * width + x
                let luma: Double
                if channels == 3 {
                    luma = 0.299 * scalars[pixel] + 0.587 * scalars[plane + pixel] + 0.114 * scalars[2 * plane + pixel]
                } else {
                    luma = scalars[pixel]
                }
                // Faded: 35 % of the contrast, towards white.
                let clamped = luma.isNaN ? 0 : min(max(luma, 0), 1)
                let faded = UInt8((255 - 0.35 * 255 * (1 - clamped)).rounded())
                var color = (faded, faded, faded)
                let (mx, my) = (x - offsetX, y - offsetY)
                if mx >= 0, my >= 0, mx < map.width, my < map.height {
                    let value = map[0, mx, my]
                    if value.isNaN || value < threshold {
                        func blend(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + Double(b)) / 2) }
                        color = (blend(faded, Self.box.0), blend(faded, Self.box.1), blend(faded, Self.box.2))
                    }
                }
                image[x, y] = color
            }
        }
        let line = max(1, min(width, height) / 256 + 1)
        for region in regions ?? self.regions(in: map) {
            let left = region.x + offsetX - line - 1, top = region.y + offsetY - line - 1
            let boxWidth = region.width + 2 * (line + 1), boxHeight = region.height + 2 * (line + 1)
            image.fill(x: left, y: top, width: boxWidth, height: line, color: Self.box)
            image.fill(x: left, y: top + boxHeight - line, width: boxWidth, height: line, color: Self.box)
            image.fill(x: left, y: top, width: line, height: boxHeight, color: Self.box)
            image.fill(x: left + boxWidth - line, y: top, width: line, height: boxHeight, color: Self.box)
        }
        return image
    }

    /// `mask` dilated by a square of side `2 radius + 1`.
    static func dilate(_ mask: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        guard radius > 0 else { return mask }
        var rows = [Bool](repeating: false, count: mask.count)
        for y in 0..<height {
            var last = Int.min / 2  // the column of the last set value seen
            var ahead = -1
            for x in 0..<width {
                // The nearest set value at or after x - radius, up to x + radius.
                while ahead < min(width - 1, x + radius) {
                    ahead += 1
                    if mask[y * width + ahead] { last = ahead }
                }
                rows[y * width + x] = last >= x - radius && last <= x + radius
            }
        }
        var columns = [Bool](repeating: false, count: mask.count)
        for x in 0..<width {
            var last = Int.min / 2
            var ahead = -1
            for y in 0..<height {
                while ahead < min(height - 1, y + radius) {
                    ahead += 1
                    if rows[ahead * width + x] { last = ahead }
                }
                columns[y * width + x] = last >= y - radius && last <= y + radius
            }
        }
        return columns
    }
}
