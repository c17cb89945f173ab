/// An image of 8-bit RGB pixels, interleaved and row-major: what heat-maps are drawn into.
///
/// ```swift
/// var image = RGB8Image(width: 2, height: 1, color: (255, 255, 255))
/// image[1, 0] = (255, 0, 0)
/// try ImageFile.write(image, to: "pixels.png")
/// ```
public struct RGB8Image: Equatable, Sendable {
    /// The number of columns.
    public let width: Int
    /// The number of rows.
    public let height: Int
    /// `width * height * 3` bytes: red, green, blue of each pixel, rows top to bottom.
    public private(set) var pixels: [UInt8]

    /// Creates an image from interleaved RGB bytes.
    ///
    /// ```swift
    /// let black = try RGB8Image(width: 1, height: 1, pixels: [0, 0, 0])
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` when a side is negative or
    ///   `pixels.count` is not `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        guard width >= 0, height >= 0, !overflow, area <= Int.max / 3, pixels.count == area * 3 else {
            throw FormatError.invalidImageShape(
                [height, width, 3], expected: "non-negative sides and width * height * 3 bytes, not \(pixels.count)")
        }
        (self.width, self.height, self.pixels) = (width, height, pixels)
    }

    /// Creates an image filled with one colour.
    ///
    /// ```swift
    /// let white = RGB8Image(width: 4, height: 3, color: (255, 255, 255))
    /// ```
    ///
    /// - Precondition: `width` and `height` are not negative.
    public init(width: Int, height: Int, color: (UInt8, UInt8, UInt8)) {
        precondition(width >= 0 && height >= 0, "RGB8Image sides must not be negative")
        (self.width, self.height) = (width, height)
        pixels = [UInt8](unsafeUninitializedCapacity: width * height * 3) { buffer, count in
            for pixel in 0..<(width * height) {
                (buffer[3 * pixel], buffer[3 * pixel + 1], buffer[3 * pixel + 2]) = color
            }
            count = width * height * 3
        }
    }

    /// The colour of the pixel in column `x` and row `y` (row 0 at the top).
    ///
    /// ```swift
    /// let (red, green, blue) = image[0, 0]
    /// ```
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        get {
            let index = (y * width + x) * 3
            return (pixels[index], pixels[index + 1], pixels[index + 2])
        }
        set {
            let index = (y * width + x) * 3
            (pixels[index], pixels[index + 1], pixels[index + 2]) = newValue
        }
    }

    /// Paints the pixels of a rectangle, clipped to the image.
    ///
    /// ```swift
    /// image.fill(x: 0, y: 0, width: 2, height: 2, color: (0, 0, 0))
    /// ```
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, color: (UInt8, UInt8, UInt8)) {
        let (left, right) = (max(0, x), min(self.width, x + width))
        let (top, bottom) = (max(0, y), min(self.height, y + height))
        guard left < right, top < bottom else { return }
        let stride = self.width
        pixels.withUnsafeMutableBufferPointer { pixels in
            for row in top..<bottom {
                for column in left..<right {
                    let index = (row * stride + column) * 3
                    (pixels[index], pixels[index + 1], pixels[index + 2]) = color
                }
            }
        }
    }
}
