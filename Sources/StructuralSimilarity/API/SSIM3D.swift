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
@differentiable(reverse,wrt: (img1, img2))
#endif
public func ssim3D<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, padding: Padding = .same
) throws -> Tensor<Scalar> {
    let plan = try VolumePlan(img1.shape, img2.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding, target: .map)
    return evaluate(img1, img2, plan)
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
public struct SSIM3D: ImageComparison, Hashable {
    /// The Gaussian window's size along each axis: odd, at least 1.
    public let windowSize: Int
    /// The dynamic range of the voxels.
    public let dataRange: Double
    /// The dynamic range of the voxels.
    @available(*, deprecated, renamed: "dataRange", message: "use dataRange, the name the options and the other modules use")
    public var maxValue: Double { dataRange }
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
        dataRange = maxValue
        self.eps = eps
        self.padding = padding
    }

    /// The 3-D SSIM map of two batches of volumes with these options.
    ///
    /// Differentiable with respect to both volumes where `_Differentiation` exists (use release
    /// builds: see the README on Swift 6.3.1's debug builds).
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let plan = try VolumePlan(
            img1.shape, img2.shape, windowSize: windowSize, maxValue: Scalar(dataRange), eps: Scalar(eps), padding: padding, target: .map)
        return evaluate(img1, img2, plan)
    }
}

/// The 3-D SSIM loss of two batches of volumes (Kornia's `losses.ssim3d_loss`): the structural
/// dissimilarity (DSSIM) of every voxel, reduced.
///
/// ```
/// loss map = clamp((1 - SSIM) / 2, 0, 1)
/// mean: sum(loss map) / count,   sum: sum(loss map),   none: the loss map
/// ```
///
/// `SSIM` is the map of ``ssim3D(_:_:windowSize:maxValue:eps:padding:)``. Sums are accumulated
/// in `Double` for both scalar types.
///
/// ```swift
/// let loss = try ssim3DLoss(v1, v2, windowSize: 7, reduction: .mean, padding: .valid)   // rank 0
/// print(loss.scalar)
/// ```
///
/// - Parameters:
///   - img1: volumes `(B, C, D, H, W)`.
///   - img2: volumes of the same shape.
///   - windowSize: the Gaussian window's size along each axis, odd and at least 1.
///   - maxValue: the dynamic range of the voxels (1 for [0, 1] data, 255 for 8-bit values).
///   - eps: added to the SSIM denominator, as Kornia does.
///   - reduction: `.mean` (default) and `.sum` return a rank-0 tensor, `.none` the loss map.
///   - padding: `.same` (a map of the input's size) or `.valid` (`windowSize / 2` cropped from
///     every side of D, H and W).
/// - Returns: the reduced loss, or the loss map for `.none`.
/// - Throws: ``SSIMError``, as ``ssim3D(_:_:windowSize:maxValue:eps:padding:)``.
/// - Complexity: O(B C D H W windowSize), spread over all cores; `.mean` and `.sum` keep no map.
#if canImport(_Differentiation)
@differentiable(reverse,wrt: (img1, img2))
#endif
public func ssim3DLoss<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, reduction: Reduction = .mean, padding: Padding = .same
) throws -> Tensor<Scalar> {
    let plan = try VolumePlan(
        img1.shape, img2.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding, target: .loss(reduction))
    return evaluate(img1, img2, plan)
}

/// The 3-D SSIM loss and its gradient with respect to the first volume, in one forward and one
/// backward pass, without automatic differentiation (every toolchain has it).
///
/// For `.none` the gradient is that of the sum of the loss map (torch's `backward` with a
/// tensor of ones). The clamp of the loss passes the gradient where `0 <= (1 - SSIM)/2 <= 1`
/// and zeroes it elsewhere, as torch does.
///
/// ```swift
/// let (value, gradient) = try ssim3DLossWithGradient(prediction, target, windowSize: 7)
/// // gradient: d value / d prediction, the shape of prediction
/// ```
///
/// - Returns: `value` as ``ssim3DLoss(_:_:windowSize:maxValue:eps:reduction:padding:)`` returns
///   it, and `gradient`, the shape of `prediction`.
/// - Throws: ``SSIMError``, as ``ssim3D(_:_:windowSize:maxValue:eps:padding:)``.
/// - Complexity: O(B C D H W windowSize); besides the gradient it keeps four arrays of the
///   output's size (the partials of the moments) until the backward pass ends.
public func ssim3DLossWithGradient<Scalar: SSIMScalar>(
    _ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>, windowSize: Int,
    maxValue: Scalar = 1, eps: Scalar = 1e-12, reduction: Reduction = .mean, padding: Padding = .same
) throws -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    let plan = try VolumePlan(
        prediction.shape, target.shape, windowSize: windowSize, maxValue: maxValue, eps: eps, padding: padding,
        target: .loss(reduction))
    return evaluateWithGradient(prediction, target, plan)
}

/// The 3-D SSIM loss as a value holding its options (Kornia's `losses.SSIM3DLoss` module).
///
/// The options have no scalar type of their own: the same value serves `Float` and `Double`
/// volumes.
///
/// ```swift
/// let criterion = try SSIM3DLoss(windowSize: 7)
/// let value = try criterion(prediction, target)
/// let (loss, gradient) = try criterion.valueWithGradient(prediction, target)
/// ```
public struct SSIM3DLoss: ImageComparison, Hashable {
    /// The Gaussian window's size along each axis: odd, at least 1.
    public let windowSize: Int
    /// The dynamic range of the voxels.
    public let dataRange: Double
    /// The dynamic range of the voxels.
    @available(*, deprecated, renamed: "dataRange", message: "use dataRange, the name the options and the other modules use")
    public var maxValue: Double { dataRange }
    /// Added to the denominator of the SSIM formula.
    public let eps: Double
    /// How the loss map is reduced.
    public let reduction: Reduction
    /// `.same` or `.valid`.
    public let padding: Padding

    /// Checks and holds the options of ``ssim3DLoss(_:_:windowSize:maxValue:eps:reduction:padding:)``.
    ///
    /// - Throws: ``SSIMError`` for an even or non-positive window, a `maxValue` not finite and
    ///   positive, an `eps` negative or not finite.
    public init(windowSize: Int, maxValue: Double = 1, eps: Double = 1e-12, reduction: Reduction = .mean, padding: Padding = .same) throws {
        try checkWindowSize(windowSize)
        try checkRange(maxValue: maxValue, eps: eps)
        self.windowSize = windowSize
        dataRange = maxValue
        self.eps = eps
        self.reduction = reduction
        self.padding = padding
    }

    /// The loss of two batches of volumes with these options.
    ///
    /// Differentiable with respect to both volumes where `_Differentiation` exists (use release
    /// builds: see the README on Swift 6.3.1's debug builds).
    #if canImport(_Differentiation)
    @differentiable(reverse,wrt: (img1, img2))
    #endif
    public func callAsFunction<Scalar: SSIMScalar>(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let plan = try VolumePlan(
            img1.shape, img2.shape, windowSize: windowSize, maxValue: Scalar(dataRange), eps: Scalar(eps), padding: padding,
            target: .loss(reduction))
        return evaluate(img1, img2, plan)
    }

    /// The loss and its gradient with respect to `prediction`
    /// (see ``ssim3DLossWithGradient(_:_:windowSize:maxValue:eps:reduction:padding:)``).
    public func valueWithGradient<Scalar: SSIMScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>) throws -> (
        value: Tensor<Scalar>, gradient: Tensor<Scalar>
    ) {
        let plan = try VolumePlan(
            prediction.shape, target.shape, windowSize: windowSize, maxValue: Scalar(dataRange), eps: Scalar(eps), padding: padding,
            target: .loss(reduction))
        return evaluateWithGradient(prediction, target, plan)
    }
}
