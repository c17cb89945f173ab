/// Image rows per band (see ``SSIMGeometry/bandsPerPlane``; a task computes up to four bands
/// of a plane, ``bandSumsOfTasks(planes:bandsPerPlane:_:)``).
let rowsPerBand = 128

/// The sizes and options shared by the forward and backward kernels of the 2-D SSIM, checked
/// before any kernel runs.
struct SSIMGeometry: Sendable {
    let batch: Int
    let channels: Int
    let height: Int
    let width: Int
    let windowSize: Int
    let padding: Padding
    /// What the filters read beyond the edges (only a `same` map reads there).
    let border: Border

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

    /// The image rows of bands `bands`.
    func bands(_ bands: Range<Int>) -> Range<Int> { band(bands.lowerBound).lowerBound..<band(bands.upperBound - 1).upperBound }

    /// Index `i` of an axis of length `n` read through Kornia's reflect border
    /// (``Border/reflect``, which never reads a zero): -1 reads 1, n reads n - 2.
    @inline(__always)
    static func reflect(_ i: Int, _ n: Int) -> Int { Border.reflect.index(i, n) ?? i }

}

/// The SSIM constants, in units of the dynamic range `L = maxValue`: the kernels work on
/// `(x - shift) / L`, so that `C1 = K1^2`, `C2 = K2^2`, and `eps` becomes `eps / L^4` (the
/// denominator's unit). The SSIM is the same; nothing overflows for a range near the largest
/// finite value, and for `L = 1` every number is what it was in raw units. Also the window's
/// taps and the factor of the second moments (1, or `N / (N - 1)` for the sample covariance).
struct SSIMConstants<Scalar: SSIMScalar>: Sendable {
    let c1: Scalar
    let c2: Scalar
    let eps: Scalar
    /// `1 / maxValue`: raw pixel differences times this are in the kernels' units.
    let scale: Scalar
    /// The factor of the variances and the covariance (see ``Covariance``).
    let covarianceScale: Scalar
    /// The 1-D window, symmetric, `windowSize` taps.
    let window: [Scalar]
    /// Whether the moments are centred on the plane means (see ``MomentRows``). Centring is
    /// exact only for a window whose taps sum to 1 (`G * (x - a) = G * x - a`): not for
    /// pytorch-msssim's float32-built window, whose sum is off by about 1e-7, which the peer
    /// keeps (it filters raw pixels), so such windows filter raw pixels too.
    let centresPlanes: Bool
    /// MATLAB's general form (exponents, and a `C3` other than `C2 / 2`), or `nil` for the usual
    /// formula (see ``SSIMGeneralForm``).
    var general: SSIMGeneralForm<Scalar>? = nil
    /// The photometric mix of ``SSIML1Loss`` (an L1 term added to the loss map), or `nil`.
    var mix: PhotometricMix<Scalar>? = nil

    /// Kornia's constants: K 0.01 and 0.03, population moments, the Gaussian of sigma 1.5.
    init(maxValue: Scalar, eps: Scalar, windowSize: Int) {
        self.init(maxValue: maxValue, eps: eps, k1: 0.01, k2: 0.03, covarianceScale: 1, window: gaussianWindow(size: windowSize), centresPlanes: true)
    }

    init(maxValue: Scalar, eps: Scalar, k1: Double, k2: Double, covarianceScale: Double, window: [Scalar], centresPlanes: Bool) {
        // In Double, then rounded, as torch rounds Kornia's Python-float constants.
        let range = Double(maxValue)
        c1 = Scalar(k1 * k1)
        c2 = Scalar(k2 * k2)
        self.eps = Scalar(Double(eps) / ((range * range) * (range * range)))
        scale = Scalar(1 / range)
        self.covarianceScale = Scalar(covarianceScale)
        self.window = window
        self.centresPlanes = centresPlanes
    }
}
