/// The mean SSIM and the SSIM loss of two batches of images from one pass of the kernels, with
/// the SSIM map and the loss map when asked for: what the `ssim` command prints and writes.
///
/// Each window's moments are filtered once, and both the SSIM and the loss of every element
/// are computed from them (``ssim(_:_:options:)`` and ``ssimLoss(_:_:options:reduction:)``
/// filter them once each). The maps and the loss are theirs, bit for bit; the means add the
/// elements in `Double` in the kernels' fixed order (see ``meanSSIM``), the same whatever the
/// number of threads.
///
/// ```swift
/// let summary = try ssimSummary(x, y, options: .kornia)
/// print(summary.meanSSIM, summary.loss.scalar)        // the mean SSIM, the mean DSSIM loss
/// ```
public struct SSIMSummary<Scalar: SSIMScalar>: Sendable {
    /// The mean of the SSIM map: its elements in `Double`, each row summed in 32 lanes, the rows
    /// of each band of 128 image rows one after the other, the bands of each plane, then the
    /// planes in order, divided by their count. (A sequential sum of the map's elements differs
    /// in the last digits: about 1e-16 relative.)
    public let meanSSIM: Double
    /// The loss, as ``ssimLoss(_:_:options:reduction:)`` returns it, bit for bit: rank 0 for
    /// `.mean` and `.sum`, the loss map for `.none`.
    public let loss: Tensor<Scalar>
    /// The mean of the loss map, added as ``meanSSIM`` is (the value `.mean` returns, before its
    /// rounding to `Scalar`).
    public let meanLoss: Double
    /// The SSIM map of ``ssim(_:_:options:)``, when asked for (`keepsMap`).
    public let map: Tensor<Scalar>?
    /// The loss map of ``ssimLoss(_:_:options:reduction:)`` with `.none`, when asked for
    /// (`keepsLossMap`), and always for `.none` (it is then ``loss``).
    public let lossMap: Tensor<Scalar>?
}

/// The mean SSIM, the loss and, when asked for, the SSIM map and the loss map of two batches of
/// images under `options`, from one pass of the filters (see ``SSIMSummary``). Not
/// differentiable: ``ssimLoss(_:_:options:reduction:)`` and ``ssim(_:_:options:)`` are.
///
/// ```swift
/// let summary = try ssimSummary(x, y, options: .scikitImage, keepsMap: true)
/// let heat = summary.map!                                // ssim(x, y, options: .scikitImage)
/// ```
///
/// - Parameters:
///   - img1: images `(B, C, H, W)`.
///   - img2: images of the same shape.
///   - options: the convention.
///   - reduction: the loss's reduction.
///   - keepsMap: whether to keep the SSIM map (without it, no memory is taken for it).
///   - keepsLossMap: whether to keep the loss map (always kept for `.none`: it is the loss).
/// - Returns: the means, the loss and the maps asked for.
/// - Throws: ``SSIMError``, as ``ssim(_:_:options:)``.
/// - Complexity: O(B C H W windowSize), spread over all cores: one pass where the map and the
///   loss take two.
public func ssimSummary<Scalar: SSIMScalar>(
    _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: SSIMOptions = .kornia, reduction: Reduction = .mean,
    keepsMap: Bool = false, keepsLossMap: Bool = false
) throws -> SSIMSummary<Scalar> {
    let plan = try PlanarPlan(img1, img2, options: options, target: .loss(reduction))
    return SSIMSummary(plan, img1, img2, keepsMap: keepsMap, keepsLossMap: keepsLossMap)
}

extension SSIMSummary {
    /// The summary of `plan` (a loss) for `x` and `y`.
    init(_ plan: PlanarPlan<Scalar>, _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, keepsMap: Bool, keepsLossMap: Bool) {
        let keepsLossMap = keepsLossMap || plan.target.keepsMap
        let pass = plan.forwardWithSSIM(x.scalars, y.scalars, writesLossMap: keepsLossMap, writesMap: keepsMap)
        let count = Double(plan.outputCount)
        meanSSIM = pass.mapSum / count
        meanLoss = pass.lossSum / count
        loss = pass.loss
        map = keepsMap ? Tensor(uncheckedShape: plan.outputShape, scalars: pass.map) : nil
        lossMap = keepsLossMap ? Tensor(uncheckedShape: plan.outputShape, scalars: pass.lossMap) : nil
    }
}
