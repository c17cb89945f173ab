/// What an evaluation produces per output element: the SSIM map, or a loss map and its
/// reduction. It tells the kernels what to write and what to differentiate.
enum KernelTarget: Hashable, Sendable {
    /// The SSIM map; its pullback differentiates `sum(upstream * SSIM)`.
    case map
    /// The loss map (`clamp((1 - SSIM) / 2, 0, 1)` for SSIM), reduced: `.none` keeps it,
    /// `.mean` and `.sum` keep only its sum.
    case loss(Reduction)
    /// The contrast-structure map `cs = (2 sigma12 + C2) / (sigma1 + sigma2 + C2)` (no eps): the
    /// factor Wang's MS-SSIM takes at every scale but the coarsest.
    case contrastStructure

    /// Whether the result is the whole map (the SSIM map, the contrast-structure map, or the loss
    /// map of `.none`), not a rank-0 reduced loss.
    var keepsMap: Bool { self != .loss(.mean) && self != .loss(.sum) }

    /// Whether the result is a loss (of the SSIM: `clamp((1 - SSIM) / 2, 0, 1)`; of MS-SSIM:
    /// `1 - MS-SSIM`), reduced.
    var isLoss: Bool {
        if case .loss = self { return true }
        return false
    }

    /// What the C kernels compute per element (their `statistic`): 0 the SSIM, 1 the clamped
    /// loss, 2 the contrast-structure term.
    var statistic: Int32 {
        switch self {
        case .map: 0
        case .loss: 1
        case .contrastStructure: 2
        }
    }

    /// The reduction of the loss (`.none` for the SSIM map, which is not reduced).
    var reduction: Reduction {
        if case let .loss(reduction) = self { return reduction }
        return .none
    }
}

/// A checked, immutable description of one comparison: the public API builds it (and throws),
/// ``evaluate(_:_:_:)`` consumes it (and never throws). Each kind of comparison (2-D images,
/// volumes, Kornia's MS-SSIM + L1 loss) is one plan; everything around the kernels (the derivative,
/// the value with its gradient, the reduction) is written once for all of them.
protocol KernelPlan: Sendable {
    associatedtype Scalar: SSIMScalar
    /// What the evaluation returns.
    var target: KernelTarget { get }
    /// The shape of the map the kernels compute (the result for ``KernelTarget/keepsMap``).
    var outputShape: [Int] { get }
    /// The number of elements of that map: what `.mean` divides by.
    var outputCount: Int { get }

    /// The map (empty for a reduced loss) and the sum of its elements, added in a fixed order.
    func forward(_ x: [Scalar], _ y: [Scalar]) -> (values: [Scalar], sum: Double)

    /// The gradients of `sum(upstream * result)` with respect to both images (`dy` empty unless
    /// `wantsY`), where `seed` is the upstream of the result (one value for a reduced loss, one per
    /// element of the map otherwise), with the map's sum (and, when `wantsValues` and the target
    /// keeps the map, the map itself) on the way.
    func backward(_ x: [Scalar], _ y: [Scalar], seed: Tensor<Scalar>, wantsY: Bool, wantsValues: Bool)
        -> (dx: [Scalar], dy: [Scalar], values: [Scalar], sum: Double)

    /// The result of an evaluation from the map and its sum. The default (below) returns the map,
    /// or the sum reduced over ``outputCount`` elements; a weighted plan divides by its weights.
    func result(values: [Scalar], sum: Double) -> Tensor<Scalar>
}

extension KernelPlan {
    /// The result of an evaluation from the map and its sum: the map, or the reduced loss.
    func result(values: [Scalar], sum: Double) -> Tensor<Scalar> {
        target.keepsMap
            ? Tensor(uncheckedShape: outputShape, scalars: values)
            : Tensor(Scalar(target.reduction.value(sum: sum, count: outputCount)))
    }
}
