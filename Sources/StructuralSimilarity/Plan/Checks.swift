/// The checks every 2-D SSIM entry point runs before computing: they turn each input the
/// kernels cannot take into a typed ``SSIMError``.
struct SSIMConfiguration<Scalar: SSIMScalar>: Sendable {
    let geometry: SSIMGeometry
    let constants: SSIMConstants<Scalar>

    init(_ shape1: [Int], _ shape2: [Int], windowSize: Int, maxValue: Scalar, eps: Scalar, padding: Padding) throws {
        try checkWindowSize(windowSize)
        try checkImagePair(shape1, shape2, rank: 4)
        try checkRange(maxValue: maxValue, eps: eps)
        let shape = shape1
        let geometry = SSIMGeometry(
            batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
            windowSize: windowSize, padding: padding)
        try checkSpatialAxes(shape, spatial: [geometry.height, geometry.width], windowSize: windowSize, padding: padding)
        self.geometry = geometry
        self.constants = SSIMConstants(maxValue: maxValue, eps: eps, windowSize: windowSize)
    }

    /// The configuration of ``SSIMOptions`` for images of `shape` (after any grayscale
    /// conversion and downsampling) with the data range resolved to `maxValue`.
    init(_ shape: [Int], options: SSIMOptions, maxValue: Scalar) throws {
        try options.validate()
        try checkRange(maxValue: maxValue, eps: Scalar(options.eps))
        let windowSize = options.windowSize
        var geometry = SSIMGeometry(
            batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
            windowSize: windowSize, padding: options.padding)
        geometry.border = options.border
        try checkSpatialAxes(shape, spatial: [geometry.height, geometry.width], windowSize: windowSize, padding: options.padding, border: options.border)
        self.geometry = geometry
        self.constants = SSIMConstants(
            maxValue: maxValue, eps: Scalar(options.eps), k1: options.k1, k2: options.k2,
            covarianceScale: options.covariance.scale(taps: windowSize * windowSize),
            window: options.window.taps(size: windowSize), centresPlanes: options.window.sumsToOne)
    }
}



/// Throws unless `windowSize` is odd and at least 1.
func checkWindowSize(_ windowSize: Int) throws {
    guard windowSize >= 1, windowSize % 2 == 1 else { throw SSIMError.invalidWindowSize(windowSize) }
}

/// Throws unless both shapes have the given rank, the same shape and no empty axis; messages
/// name the arguments "the first \(noun)" and "the second \(noun)" (or `volume`, ...).
func checkImagePair(_ shape1: [Int], _ shape2: [Int], rank: Int, noun: String = "image") throws {
    guard shape1.count == rank else { throw SSIMError.rankMismatch(argument: "the first \(noun)", shape: shape1, expected: rank) }
    guard shape2.count == rank else { throw SSIMError.rankMismatch(argument: "the second \(noun)", shape: shape2, expected: rank) }
    guard shape1 == shape2 else { throw SSIMError.shapeMismatch(shape1, shape2) }
    guard !shape1.contains(0) else { throw SSIMError.emptyInput(argument: "the first \(noun)", shape: shape1) }
}

/// Throws unless `maxValue` is finite and positive and `eps` finite and not negative.
func checkRange<Scalar: SSIMScalar>(maxValue: Scalar, eps: Scalar) throws {
    guard maxValue.isFinite, maxValue > 0 else { throw SSIMError.invalidMaxValue(Double(maxValue)) }
    guard eps.isFinite, eps >= 0 else { throw SSIMError.invalidEps(Double(eps)) }
}

/// Throws unless every spatial axis fits the window: for `same`, long enough for the border
/// (longer than `windowSize / 2` for the reflect border, see ``Border/smallestAxis(windowSize:)``),
/// for `valid` at least `windowSize`.
func checkSpatialAxes(_ shape: [Int], spatial: [Int], windowSize: Int, padding: Padding, border: Border = .reflect) throws {
    let shortest = spatial.min() ?? 0
    let fits = padding == .same ? shortest >= border.smallestAxis(windowSize: windowSize) : shortest >= windowSize
    guard fits else {
        if padding == .same && border != .reflect {
            throw SSIMError.invalidArgument(
                "shape \(shape) is too small for window size \(windowSize) with padding 'same' and border '\(border.rawValue)': "
                + "every image axis must be at least \(border.smallestAxis(windowSize: windowSize)) long; use a smaller window or border 'replicate'")
        }
        throw SSIMError.imageTooSmall(shape: shape, windowSize: windowSize, padding: padding)
    }
}
