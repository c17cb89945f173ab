#if canImport(_Differentiation)
import _Differentiation
#endif

/// The plan of a masked (weighted) 2-D SSIM evaluation (see <doc:MaskedSSIM>): the geometry and
/// constants of ``PlanarPlan`` for the options, the checked weight planes, and the sum of the
/// weights that a weighted mean divides by.
///
/// The weights are part of the plan, not an input of ``evaluate(_:_:_:)``: they are constants of
/// differentiation (the gradients are those of both images only).
struct MaskedPlan<Scalar: SSIMScalar>: KernelPlan {
    let geometry: SSIMGeometry
    let constants: SSIMConstants<Scalar>
    let weights: WeightPlanes<Scalar>
    /// `sum w` over the output elements (a `(B, 1, H, W)` weight counts once per channel): what
    /// a weighted mean divides by.
    let weightTotal: Double
    let target: KernelTarget
    /// Whether the result is the weighted mean of the map (``KernelTarget/map`` reduced), not the map.
    let reducesMap: Bool

    var outputShape: [Int] { geometry.outputShape }
    var outputCount: Int { geometry.outputCount }

    /// The plan of `options` for `img1`, `img2` and `weights`, checked as ``PlanarPlan`` checks
    /// (window, pair, range, spatial axes), then the weights: their shape, their range [0, 1],
    /// and a positive sum over the output. With `ignoringNaN`, a pixel that is NaN in either
    /// image gets weight 0.
    init(
        _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, weights: Tensor<Scalar>, options: SSIMOptions, ignoringNaN: Bool,
        target: KernelTarget, reducesMap: Bool = false
    ) throws {
        let planar = try PlanarPlan(img1, img2, options: options, target: target)
        guard planar.preprocessing.isIdentity else { throw SSIMError.weightsNeedNoPreprocessing }
        guard planar.constants.general == nil, planar.constants.mix == nil else { throw SSIMError.weightsNeedStandardForm }
        let shape = img1.shape
        guard weights.shape.count == 4, weights.shape[0] == shape[0], weights.shape[1] == 1 || weights.shape[1] == shape[1],
            Array(weights.shape.suffix(2)) == Array(shape.suffix(2))
        else { throw SSIMError.weightShapeMismatch(weights: weights.shape, images: shape) }
        if let bad = firstOutOfUnitRange(weights.scalars) { throw SSIMError.weightOutOfRange(Double(bad)) }
        geometry = planar.geometry
        constants = planar.constants
        let given = WeightPlanes(scalars: weights.scalars, channels: weights.shape[1], imageChannels: shape[1])
        self.weights = ignoringNaN ? weightsIgnoringNaN(img1.scalars, img2.scalars, given, planeSize: shape[2] * shape[3]) : given
        weightTotal = outputWeightTotal(self.weights, geometry: geometry)
        guard weightTotal > 0 else { throw SSIMError.zeroWeights(shape: weights.shape, padding: options.padding) }
        self.target = target
        self.reducesMap = reducesMap
    }

    /// The plan of the differentiable entry points: as ``init(_:_:weights:options:ignoringNaN:target:reducesMap:)``,
    /// a constant of differentiation (see ``PlanarPlan/constant(_:_:options:target:)``).
    #if canImport(_Differentiation)
    @noDerivative
    #endif
    static func constant(
        _ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, weights: Tensor<Scalar>, options: SSIMOptions, ignoringNaN: Bool,
        target: KernelTarget, reducesMap: Bool = false
    ) throws -> MaskedPlan {
        try MaskedPlan(img1, img2, weights: weights, options: options, ignoringNaN: ignoringNaN, target: target, reducesMap: reducesMap)
    }

    func result(values: [Scalar], sum: Double) -> Tensor<Scalar> {
        if reducesMap || !target.keepsMap {
            return Tensor(Scalar(target.reduction == .sum ? sum : sum / weightTotal))
        }
        return Tensor(uncheckedShape: outputShape, scalars: values)
    }

    /// Whether the result is reduced (a weighted mean or sum), so that the upstream is one value
    /// times each element's weight.
    private var isReduced: Bool { reducesMap || !target.keepsMap }

    func forward(_ x: [Scalar], _ y: [Scalar]) -> (values: [Scalar], sum: Double) {
        let (values, sums) = maskedForward(
            x, y, weights: weights, geometry: geometry, constants: constants, target: target, writesMap: !isReduced)
        return (values, sums.reduce(0, +))
    }

    func backward(_ x: [Scalar], _ y: [Scalar], seed: Tensor<Scalar>, wantsY: Bool, wantsValues: Bool)
        -> (dx: [Scalar], dy: [Scalar], values: [Scalar], sum: Double)
    {
        let upstream: [Scalar]
        if isReduced {
            upstream = [target.reduction == .sum ? seed.scalars[0] : Scalar(Double(seed.scalars[0]) / weightTotal)]
        } else {
            upstream = seed.scalars.count == 1 ? Array(repeating: seed.scalars[0], count: outputCount) : seed.scalars
        }
        let (dx, dy, sums) = maskedBackward(
            x, y, weights: weights, geometry: geometry, constants: constants, target: target, upstream: upstream,
            weighted: isReduced, wantsY: wantsY)
        let values = wantsValues && !isReduced ? forward(x, y).values : []
        return (dx, dy, values, sums.reduce(0, +))
    }
}

// The plan's loops over every pixel, specialised (the public API is generic: unspecialised, an
// element access through the protocol took a second at 4 x 1024 x 1024).

/// The first value outside [0, 1] (NaN included), if any.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func firstOutOfUnitRange<Scalar: SSIMScalar>(_ values: [Scalar]) -> Scalar? {
    values.first { !($0 >= 0 && $0 <= 1) }
}

/// The weights with 0 wherever either image is NaN, one plane per image plane when that changes
/// any (else as given).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func weightsIgnoringNaN<Scalar: SSIMScalar>(_ x: [Scalar], _ y: [Scalar], _ given: WeightPlanes<Scalar>, planeSize: Int) -> WeightPlanes<Scalar> {
    guard x.contains(where: \.isNaN) || y.contains(where: \.isNaN) else { return given }
    var scalars = [Scalar](repeating: 0, count: x.count)
    for plane in 0..<(x.count / planeSize) {
        let source = given.index(ofPlane: plane) * planeSize, target = plane * planeSize
        for i in 0..<planeSize {
            let j = target + i
            scalars[j] = x[j].isNaN || y[j].isNaN ? 0 : given.scalars[source + i]
        }
    }
    return WeightPlanes(scalars: scalars, channels: given.imageChannels, imageChannels: given.imageChannels)
}

/// `sum w` over the output elements of every plane, in Double: the rows' sums (the weighted row
/// sum of the weights themselves, times 1), the planes in parallel, added in plane order.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func outputWeightTotal<Scalar: SSIMScalar>(_ weights: WeightPlanes<Scalar>, geometry g: SSIMGeometry) -> Double {
    let ones = [Scalar](repeating: 1, count: g.outputWidth), first = g.outputColumns.lowerBound
    return withTaskInputs(weights.scalars, ones, upstream: [Scalar]()) { p in
        sumOfTasks(g.planeCount) { plane in
            let base = p.x + weights.index(ofPlane: plane) * g.planeSize + first
            var total = 0.0
            for r in g.outputRows {
                total += InnerLoops.weightedRowSum(base + r * g.width, w: p.y, weight: base + r * g.width, count: g.outputWidth)
            }
            return total
        }
    }
}
