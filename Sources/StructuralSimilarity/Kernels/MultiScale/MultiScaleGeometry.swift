/// The sizes and constants of one ``MSSSIMLoss`` evaluation, checked before any kernel runs.
///
/// The two images are `(B1, C, H, W)` and `(B2, C, H, W)` with `B1 == B2` or one of them 1 (that
/// image is compared with every image of the other batch); the loss map is `(B, H, W)`,
/// `B = max(B1, B2)`. The kernels work in units of the data range `L`: pixels times `1 / L`, so
/// that `C1 = K1^2`, `C2 = K2^2` and the L1 term needs no division.
struct MultiScaleGeometry: Sendable {
    let batch1: Int
    let batch2: Int
    let channels: Int
    let height: Int
    let width: Int

    var batch: Int { max(batch1, batch2) }
    var planeSize: Int { height * width }
    var outputShape: [Int] { [batch, height, width] }
    var outputCount: Int { batch * planeSize }

    /// The plane of the first image that batch element `b`, channel `c` of the loss reads.
    func plane1(_ b: Int, _ c: Int) -> Int { (batch1 == 1 ? 0 : b) * channels + c }
    /// The plane of the second image that batch element `b`, channel `c` of the loss reads.
    func plane2(_ b: Int, _ c: Int) -> Int { (batch2 == 1 ? 0 : b) * channels + c }

    /// Output rows per task: the bands are fixed, so sums do not depend on the thread count.
    static let rowsPerBand = 128
    var bandsPerImage: Int { (height + Self.rowsPerBand - 1) / Self.rowsPerBand }
    func band(_ k: Int) -> Range<Int> { (k * Self.rowsPerBand)..<min((k + 1) * Self.rowsPerBand, height) }
    /// A band with the most rows and the most rows within `pad` of it, so the most scratch memory:
    /// the second when there are three or more (full, with rows beyond both edges), else the
    /// first (full, or the whole image; a second band of two is no longer, nor nearer the edges).
    var largestBand: Range<Int> { band(bandsPerImage >= 3 ? 1 : 0) }
}

/// The scalar options of ``MSSSIMLoss`` in the kernels' units (see ``MultiScaleGeometry``).
struct MultiScaleConstants<Scalar: SSIMScalar>: Sendable {
    /// `K1^2`: C1 in units of the data range.
    let c1: Scalar
    /// `K2^2`: C2 in units of the data range.
    let c2: Scalar
    /// `1 / dataRange`.
    let scale: Scalar
    let alpha: Scalar
    let compensation: Scalar

    init(dataRange: Double, k: (Double, Double), alpha: Double, compensation: Double) {
        c1 = Scalar(k.0 * k.0)
        c2 = Scalar(k.1 * k.1)
        scale = Scalar(1 / dataRange)
        self.alpha = Scalar(alpha)
        self.compensation = Scalar(compensation)
    }
}
