import Dispatch
#if canImport(_Differentiation)
import _Differentiation
#endif

/// The plan of one evaluation of Wang's multi-scale SSIM (``MultiScaleSSIMOptions``) on images
/// `(B, C, H, W)` or volumes `(B, C, D, H, W)`: the geometry of every scale, the halvings between
/// them, and the per-scale SSIM's constants. Its result is one value per image, `(B)`: the
/// MS-SSIM (``KernelTarget/map``) or the loss `1 - MS-SSIM`, reduced (``KernelTarget/loss(_:)``).
///
/// Each scale's kernels give per-plane means (the contrast-structure term below the coarsest
/// scale, the SSIM at it); ``combine(_:)`` turns them into the value and its partials, and the
/// backward pass sends those partials down each scale's kernels as one upstream per plane, then
/// up the pyramid through the halvings' adjoints.
struct PyramidPlan<Scalar: SSIMScalar>: KernelPlan {
    let options: MultiScaleSSIMOptions
    let scales: [PyramidScale]
    /// `halvings[j]` takes scale `j` to scale `j + 1`.
    let halvings: [Halving]
    /// The data range, or nil to take it from the images of every scale (``DataRange/inputSpan``).
    let maxValue: Scalar?
    let rank: Int
    let batch: Int
    let channels: Int
    let target: KernelTarget

    var outputShape: [Int] { [batch] }
    var outputCount: Int { batch }

    /// Checks, in this order: the options, the pair of shapes (rank 4 or 5), the data range, and
    /// that every scale fits the window.
    init(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: MultiScaleSSIMOptions, target: KernelTarget) throws {
        try options.validate()
        rank = img1.shape.count == 5 ? 5 : 4
        try checkImagePair(img1.shape, img2.shape, rank: rank, noun: rank == 5 ? "volume" : "image")
        let range: Scalar = try options.dataRange.resolved(for: img1, img2)
        try checkRange(maxValue: range, eps: 0)
        maxValue = options.dataRange == .inputSpan ? nil : range
        let shape = img1.shape, count = shape[0] * shape[1]
        var spatial = Array(shape.dropFirst(2)), scales: [PyramidScale] = [], halvings: [Halving] = []
        for j in options.weights.indices {
            if j > 0 {
                halvings.append(Halving(spatial: spatial, count: count, rule: options.downsampling))
                spatial = halvings[j - 1].outputSpatial
            }
            let scaleOptions = options.scaleOptions(j)
            // pytorch-msssim's volumes: a depth shorter than the window is not filtered.
            let bySlice = spatial.count == 3 && options.unfilteredShortDepth && !Self.fits(spatial[0], scaleOptions)
            let checked = bySlice ? Array(spatial.dropFirst()) : spatial
            guard Self.fits(checked.min()!, scaleOptions), Self.meetsRule(Array(shape.dropFirst(2)), options) else {
                throw SSIMError.imageTooSmallForScales(
                    shape: shape, scales: options.weights.count, windowSize: options.windowSize, minimum: Self.minimumSize(options))
            }
            scales.append(PyramidScale(batch: shape[0], channels: shape[1], spatial: spatial, options: scaleOptions, bySlice: bySlice))
        }
        self.options = options
        self.scales = scales
        self.halvings = halvings
        batch = shape[0]
        channels = shape[1]
        self.target = target
    }

    /// The plan of the public differentiable entry points: as ``init(_:_:options:target:)``, a
    /// constant of differentiation (a data range taken from the inputs is held fixed; see
    /// ``PlanarPlan/constant(_:_:options:target:)``).
    #if canImport(_Differentiation)
    @noDerivative
    #endif
    static func constant(_ img1: Tensor<Scalar>, _ img2: Tensor<Scalar>, options: MultiScaleSSIMOptions, target: KernelTarget) throws -> Self {
        try Self(img1, img2, options: options, target: target)
    }

    /// Whether an axis of `length` fits the window of a scale with these options (``axisFits(_:windowSize:padding:border:)``).
    static func fits(_ length: Int, _ options: SSIMOptions) -> Bool {
        axisFits(length, windowSize: options.windowSize, padding: options.padding, border: options.border)
    }

    /// Whether full-size images of these spatial sizes meet ``MultiScaleSSIMOptions/sizeRule``
    /// beyond every scale's fitting (which the caller checks scale by scale).
    static func meetsRule(_ spatial: [Int], _ options: MultiScaleSSIMOptions) -> Bool {
        switch options.sizeRule {
        case .everyScaleFits: return true
        case .windowTimesScale: return spatial.suffix(2).min()! >= options.windowSize << (options.weights.count - 1)
        }
    }

    /// The smallest size of every spatial axis that the options take (of H and W for volumes
    /// with ``MultiScaleSSIMOptions/unfilteredShortDepth``).
    static func minimumSize(_ options: MultiScaleSSIMOptions) -> Int {
        var n = 1
        while true {
            var length = n, fits = meetsRule([n, n], options)
            for j in options.weights.indices {
                if j > 0 { length = AxisHalving(length: length, rule: options.downsampling, padsStart: length % 2 == 1).outputLength }
                fits = fits && Self.fits(length, options.scaleOptions(j))
            }
            if fits { return n }
            n += 1
        }
    }

    /// The statistic of scale `j`: the contrast-structure term below the coarsest scale, the
    /// SSIM at it.
    func statistic(_ j: Int) -> KernelTarget { j == scales.count - 1 ? .map : .contrastStructure }

    /// The per-scale SSIM's constants for the images of one scale (whose span is the data range
    /// for ``DataRange/inputSpan``).
    func constants(_ x: [Scalar], _ y: [Scalar]) -> SSIMConstants<Scalar> {
        let size = options.windowSize, taps = rank == 5 ? size * size * size : size * size
        return SSIMConstants(
            maxValue: maxValue ?? Scalar(max(span(x), span(y))), eps: 0, k1: options.k1, k2: options.k2,
            covarianceScale: options.covariance.scale(taps: taps), window: options.window.taps(size: size),
            centresPlanes: options.window.sumsToOne)
    }

    /// The per-plane means of every scale.
    func means(_ x: [Scalar], _ y: [Scalar]) -> [[Double]] {
        var x = x, y = y, means: [[Double]] = []
        for j in scales.indices {
            if j > 0 {
                x = halvings[j - 1].apply(x)
                y = halvings[j - 1].apply(y)
            }
            means.append(scales[j].planeMeans(x, y, constants: constants(x, y), target: statistic(j)))
        }
        return means
    }

    /// The MS-SSIM of every image from the per-plane means of every scale, and its partials with
    /// respect to them (`partials[j][p]`: d MS-SSIM of plane `p`'s image / d `means[j][p]`).
    ///
    /// ```
    /// perChannel   v_b = mean_c prod_j t_j[b, c]^w_j          t = clamp(mean)
    /// pooled       v_b = prod_j (clamp(mean_c means_j[b, c]))^w_j
    /// dv/dt_j = w_j t_j^(w_j - 1) prod_{k != j} t_k^w_k   (0 where the clamp's slope is 0)
    /// ```
    func combine(_ means: [[Double]]) -> (values: [Double], partials: [[Double]]) {
        let weights = options.weights, clamping = options.clamping, c = channels
        var values = [Double](repeating: 0, count: batch)
        var partials = means.map { [Double](repeating: 0, count: $0.count) }
        /// The product of the clamped terms' powers and its partials with respect to the terms.
        func product(_ terms: [Double]) -> (Double, [Double]) {
            let clamped = terms.map { clamping.apply($0) }
            let powers = zip(clamped, weights).map { power($0.value, $1) }
            let value = powers.reduce(1, *)
            let slopes = clamped.indices.map { j -> Double in
                guard clamped[j].slope != 0 else { return 0 }
                let others = powers.indices.reduce(1.0) { $1 == j ? $0 : $0 * powers[$1] }
                return weights[j] * power(clamped[j].value, weights[j] - 1) * others * clamped[j].slope
            }
            return (value, slopes)
        }
        for b in 0..<batch {
            let planes = (b * c)..<((b + 1) * c)
            switch options.channelPooling {
            case .perChannel:
                for p in planes {
                    let (value, slopes) = product(means.map { $0[p] })
                    values[b] += value / Double(c)
                    for j in means.indices { partials[j][p] = slopes[j] / Double(c) }
                }
            case .pooled:
                let (value, slopes) = product(means.map { m in planes.reduce(0.0) { $0 + m[$1] } / Double(c) })
                values[b] = value
                for j in means.indices { for p in planes { partials[j][p] = slopes[j] / Double(c) } }
            }
        }
        return (values, partials)
    }

    /// The value per image of the target: the MS-SSIM, or `1 - MS-SSIM` for a loss.
    private func targetValues(_ values: [Double]) -> [Double] {
        target.isLoss ? values.map { 1 - $0 } : values
    }

    func forward(_ x: [Scalar], _ y: [Scalar]) -> (values: [Scalar], sum: Double) {
        let values = targetValues(combine(means(x, y)).values)
        return (target.keepsMap ? values.map { Scalar($0) } : [], values.reduce(0, +))
    }

    /// One backward pass per scale, each giving its per-plane means and their gradients (see
    /// ``PyramidScale/gradientsOfMeans(_:_:constants:target:wantsY:)``); the means give the
    /// product's partials, which scale those gradients plane by plane; then, coarsest first,
    /// each scale's gradient goes back through its halving's adjoint onto the finer one's. A
    /// scale's images are dropped once its pass is done.
    func backward(_ x: [Scalar], _ y: [Scalar], seed: Tensor<Scalar>, wantsY: Bool, wantsValues: Bool)
        -> (dx: [Scalar], dy: [Scalar], values: [Scalar], sum: Double)
    {
        var gradients: [(dx: [Scalar], dy: [Scalar])] = [], means: [[Double]] = []
        var level = (x: x, y: y)
        for j in scales.indices {
            if j > 0 { level = (halvings[j - 1].apply(level.x), halvings[j - 1].apply(level.y)) }
            let g = scales[j].gradientsOfMeans(
                level.x, level.y, constants: constants(level.x, level.y), target: statistic(j), wantsY: wantsY)
            gradients.append((g.dx, g.dy))
            means.append(g.means)
        }
        level = ([], [])
        let (msssim, partials) = combine(means)
        let values = targetValues(msssim)
        // d result / d MS-SSIM of each image, times the seed.
        let upstream: [Scalar] = target.reduction.upstream(seed, count: outputCount)
        let sign: Double = target.isLoss ? -1 : 1
        func imageSeed(_ b: Int) -> Double { sign * Double(upstream.count == 1 ? upstream[0] : upstream[b]) }
        var dx: [Scalar] = [], dy: [Scalar] = []
        for j in scales.indices.reversed() {
            let weights = partials[j].indices.map { p in Scalar(partials[j][p] * imageSeed(p / channels)) }
            var (gx, gy) = gradients[j]
            gradients[j] = ([], [])
            scalePlanes(&gx, by: weights)
            if wantsY { scalePlanes(&gy, by: weights) }
            if j < scales.count - 1 {
                halvings[j].adjoint(dx, addingTo: &gx)
                if wantsY { halvings[j].adjoint(dy, addingTo: &gy) }
            }
            (dx, dy) = (gx, gy)
        }
        return (dx, dy, wantsValues && target.keepsMap ? values.map { Scalar($0) } : [], values.reduce(0, +))
    }
}

/// Multiplies each of `weights.count` equal planes of `values` by its weight, in parallel.
/// (Specialised: unspecialised, each `*=` went through the protocol's witness, 15 % of the
/// headline's loss and gradient.)
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
private func scalePlanes<Scalar: SSIMScalar>(_ values: inout [Scalar], by weights: [Scalar]) {
    let planeSize = values.count / max(weights.count, 1)
    values.withUnsafeMutableBufferPointer { buffer in
        let base = SharedPointer(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: weights.count) { p in
            let plane = base.base + p * planeSize, w = weights[p]
            for i in 0..<planeSize { plane[i] *= w }
        }
    }
}
