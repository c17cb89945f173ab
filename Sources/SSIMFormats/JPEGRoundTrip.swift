import StructuralSimilarity

/// Compresses images to JPEG in memory and decodes them again: JPEG artefacts as a distortion.
///
/// Each image of the batch is clamped to [0, 1] (NaN becomes 0), quantised to 8 bits, encoded
/// at `quality` by libjpeg-turbo (4:2:0 chroma subsampling for colour) and decoded back to
/// [0, 1]. Grey images stay grey.
///
/// ```swift
/// let clean = try ImageFile.read("a.png").tensor
/// let blocky = try jpegRoundTrip(clean, quality: 10)
/// print(try ssim(clean, blocky, windowSize: 11).mean().scalar)   // the mean SSIM
/// ```
///
/// - Parameters:
///   - images: shape `(B, C, H, W)` with C = 1 or 3.
///   - quality: 1 (smallest, worst) to 100 (largest, best).
/// - Returns: a tensor of the same shape.
/// - Throws: ``FormatError/invalidImageShape(_:expected:)`` or ``FormatError/invalidJPEGQuality(_:)``.
public func jpegRoundTrip<Scalar: BinaryFloatingPoint>(_ images: Tensor<Scalar>, quality: Int) throws -> Tensor<Scalar> {
    let batch = images.shape.first ?? 0
    var scalars: [Scalar] = []
    scalars.reserveCapacity(images.scalars.count)
    for index in 0..<max(batch, 1) {
        let raster = try Raster8(images, batch: index)
        let bytes = try Codec.encode(raster, as: .jpeg, quality: quality)
        let decoded: DecodedPlanes<Scalar> =
            try Codec.decode(bytes, format: .jpeg, name: "<JPEG round trip>", maximumPixelCount: Int.max)
        scalars += decoded.color.scalars
    }
    return try Tensor(shape: images.shape, scalars: scalars)
}
