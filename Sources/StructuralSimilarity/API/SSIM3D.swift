#if canImport(_Differentiation)
import _Differentiation
#endif

/// The structural similarity map of two batches of volumes (Kornia's `metrics.ssim3d`).
///
/// The 2-D formula of ``ssim(_:_:windowSize:maxValue:eps:padding:)`` with Gaussian statistics
/// over a 3-D neighbourhood of each voxel:
///
/// ```
/// mu1 = G * x,  mu2 = G * y,  sigma1 = G * x^2 - mu1^2,  sigma2 = G * y^2 - mu2^2,
/// sigma12 = G * (x y) - mu1 mu2,  C1 = (0.01 maxValue)^2,  C2 = (0.03 maxValue)^2
///
/// SSIM = (2 mu1 mu2 + C1)(2 sigma12 + C2) / ((mu1^2 + mu2^2 + C1)(sigma1 + sigma2 + C2) + eps)
/// ```
///
/// `G` is the isotropic 3-D Gaussian window, the outer product of three 1-D windows of
/// ``gaussianWindow(size:sigma:)`` (sigma 1.5 on every axis), applied separably along W, H and
/// D with a reflect border that does not repeat the edge voxel on every axis. A volume whose
/// slices are all the same image gives, in every slice, the 2-D map of that image.
///
/// ```swift
/// let v1 = try Tensor<Float>(shape: [1, 1, 32, 64, 64], scalars: voxels1)   // (B, C, D, H, W)
/// let v2 = try Tensor<Float>(shape: [1, 1, 32, 64, 64], scalars: voxels2)
/// let map = try ssim3D(v1, v2, windowSize: 7)                               // (1, 1, 32, 64, 64)
/// let cropped = try ssim3D(v1, v2, windowSize: 7, padding: .valid)          // (1, 1, 26, 58, 58)
/// ```
///
/// - Parameters:
///   - img1: volumes `(B, C, D, H, W)`.
///   - img2: volumes of the same shape.
///   - windowSize: the Gaussian window's size along each axis, odd and at least 1.
///   - maxValue: the dynamic range of the voxels (1 for [0, 1] data, 255 for 8-bit values).
///   - eps: added to the denominator, as Kornia does; 0 gives the textbook SSIM.
///   - padding: `.same` returns a map of the input's size, `.valid` crops `windowSize / 2`
///     voxels from every side of D, H and W.
/// - Returns: the SSIM map, `(B, C, D, H, W)` or `(B, C, D - 2p, H - 2p, W - 2p)` with
///   `p = windowSize / 2`.
/// - Throws: ``SSIMError`` for a rank other than 5, different shapes, an empty axis, an even or
///   non-positive window, volumes too small for the window (`same` needs D, H and W above
///   `windowSize / 2`, `valid` at least `windowSize`), a `maxValue` not finite and positive,
///   an `eps` negative or not finite.
/// - Complexity: O(B C D H W windowSize), spread over all cores.
#if canImport(_Differentiation)
@differentiable(reverse, wrt: (img1, img2))
#endif
public func ssim3D<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, padding: Padding = .same
) throws -> Tensor<Scalar> {
    let configuration = try SSIM3DConfiguration(
        img1.shape, img2.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding)
    return ssim3DMapCore(img1, img2, configuration)
}

/// The 3-D SSIM map with validated arguments: the function that carries the derivative.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func ssim3DMapCore<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, _ configuration: SSIM3DConfiguration<Scalar>
) -> Tensor<Scalar> {
    let v = configuration.geometry
    let (map, _) = ssim3DForward(img1.scalars, img2.scalars, geometry: v, constants: configuration.constants, output: .ssimMap)
    return Tensor(uncheckedShape: v.outputShape, scalars: map)
}

/// The 3-D SSIM map as a value holding its options (Kornia's `metrics.SSIM3D` module).
///
/// The options have no scalar type of their own: the same value measures `Float` and `Double`
/// volumes, each in its own precision.
///
/// ```swift
/// let metric = try SSIM3D(windowSize: 7, padding: .valid)
/// let map = try metric(v1, v2)
/// ```
public struct SSIM3D: Sendable, Hashable {
    /// The Gaussian window's size along each axis: odd, at least 1.
    public let windowSize: Int
    /// The dynamic range of the voxels.
    public let maxValue: Double
    /// Added to the denominator of the SSIM formula.
    public let eps: Double
    /// `.same` or `.valid`.
    public let padding: Padding

    /// Checks and holds the options of ``ssim3D(_:_:windowSize:maxValue:eps:padding:)``.
    ///
    /// - Throws: ``SSIMError`` for an even or non-positive window, a `maxValue` not finite and
    ///   positive, an `eps` negative or not finite.
    public init(windowSize: Int, maxValue: Double = 1, eps: Double = 1e-12, padding: Padding = .same) throws {
        try checkWindowSize(windowSize)
        try checkRange(maxValue: maxValue, eps: eps)
        self.windowSize = windowSize
        self.maxValue = maxValue
        self.eps = eps
        self.padding = padding
    }

    /// The 3-D SSIM map of two batches of volumes with these options.
    ///
    /// Differentiable with respect to both volumes where `_Differentiation` exists (use release
    /// builds: see the README on Swift 6.3.1's debug builds).
    #if canImport(_Differentiation)
    @differentiable(reverse, wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let configuration = try SSIM3DConfiguration(
            img1.shape, img2.shape, windowSize: windowSize, maxValue: Scalar(maxValue), eps: Scalar(eps), padding: padding)
        return ssim3DMapCore(img1, img2, configuration)
    }
}
