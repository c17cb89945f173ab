import StructuralSimilarity

/// The EXIF / TIFF orientation tag (1 to 8): how the stored rows must be turned for a viewer.
///
/// Applying it maps each displayed pixel `(x, y)` of the upright picture to a stored pixel of a
/// `W x H` image (5 to 8 swap the sides: the result is `H x W`):
///
/// ```
/// 1 (x, y)          2 (W-1-x, y)        3 (W-1-x, H-1-y)    4 (x, H-1-y)
/// 5 (y, x)          6 (y, H-1-x)        7 (W-1-y, H-1-x)    8 (W-1-y, x)
/// ```
///
/// 6 is "rotate 90° clockwise to view" (a phone held upright), 8 counter-clockwise, 3 upside
/// down; 2, 4, 5 and 7 are mirrored. These are Pillow's `ImageOps.exif_transpose`.
///
/// ```swift
/// let stored = try ImageFile.read("photo.jpg", options: ImageReadOptions(appliesOrientation: false))
/// let upright = try ImageOrientation(tag: 6)!.apply(to: stored.tensor)   // (1, C, W, H)
/// ```
public struct ImageOrientation: Equatable, Sendable {
    /// The tag's value, 1 to 8.
    public let tag: Int

    /// The orientation of a tag value 1 to 8, or nil for any other value.
    ///
    /// ```swift
    /// ImageOrientation(tag: 9)   // nil
    /// ```
    public init?(tag: Int) {
        guard (1...8).contains(tag) else { return nil }
        self.tag = tag
    }

    /// Whether the picture's width and height are swapped (tags 5 to 8).
    ///
    /// ```swift
    /// ImageOrientation(tag: 6)!.swapsSides   // true
    /// ```
    public var swapsSides: Bool { tag >= 5 }

    /// The `(B, C, H, W)` images turned upright; shape `(B, C, W, H)` for tags 5 to 8.
    ///
    /// ```swift
    /// let t = try Tensor<Float>(shape: [1, 1, 1, 2], scalars: [1, 2])
    /// try ImageOrientation(tag: 2)!.apply(to: t).scalars   // [2, 1]
    /// ```
    ///
    /// - Throws: ``FormatError/invalidImageShape(_:expected:)`` unless the tensor has rank 4.
    public func apply<Scalar: BinaryFloatingPoint>(to images: Tensor<Scalar>) throws -> Tensor<Scalar> {
        guard images.shape.count == 4 else {
            throw FormatError.invalidImageShape(images.shape, expected: "(B, C, H, W)")
        }
        if tag == 1 { return images }
        let (planes, height, width) = (images.shape[0] * images.shape[1], images.shape[2], images.shape[3])
        let (outHeight, outWidth) = swapsSides ? (width, height) : (height, width)
        let source = images.scalars
        var result = [Scalar](repeating: 0, count: source.count)
        for plane in 0..<planes {
            let base = plane * height * width
            for y in 0..<outHeight {
                for x in 0..<outWidth {
                    let (sx, sy) = storedPixel(x, y, width: width, height: height)
                    result[base + y * outWidth + x] = source[base + sy * width + sx]
                }
            }
        }
        return try Tensor(shape: [images.shape[0], images.shape[1], outHeight, outWidth], scalars: result)
    }

    /// The stored pixel shown at `(x, y)` of the upright picture.
    private func storedPixel(_ x: Int, _ y: Int, width w: Int, height h: Int) -> (Int, Int) {
        switch tag {
        case 2: return (w - 1 - x, y)
        case 3: return (w - 1 - x, h - 1 - y)
        case 4: return (x, h - 1 - y)
        case 5: return (y, x)
        case 6: return (y, h - 1 - x)
        case 7: return (w - 1 - y, h - 1 - x)
        case 8: return (w - 1 - y, x)
        default: return (x, y)
        }
    }
}
