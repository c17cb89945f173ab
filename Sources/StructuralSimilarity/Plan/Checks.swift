/// The checks every plan runs before any kernel: they turn each input the kernels cannot take
/// into a typed ``SSIMError``. Every family runs them in one order (the window, the pair of
/// shapes, the range and eps, the spatial axes), so that an input with several faults always
/// reports the same one first.

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
    guard axisFits(spatial.min() ?? 0, windowSize: windowSize, padding: padding, border: border) else {
        if padding == .same && border != .reflect {
            throw SSIMError.imageTooSmallForBorder(shape: shape, windowSize: windowSize, border: border)
        }
        throw SSIMError.imageTooSmall(shape: shape, windowSize: windowSize, padding: padding)
    }
}

/// Whether an axis of `length` fits the window: for `same`, long enough for the border
/// (``Border/smallestAxis(windowSize:)``), for `valid` at least `windowSize`.
func axisFits(_ length: Int, windowSize: Int, padding: Padding, border: Border) -> Bool {
    length >= (padding == .same ? border.smallestAxis(windowSize: windowSize) : windowSize)
}
