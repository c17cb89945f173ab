extension DataRange {
    /// The range `L` these options give to images `x` and `y`: the value itself, or
    /// `max(max(x) - min(x), max(y) - min(y))` for ``inputSpan``, rounded to `Scalar`. What the
    /// SSIM uses, so that whatever else is measured in units of the data range (PSNR, MSE) uses
    /// the same `L`.
    ///
    /// ```swift
    /// let range = try SSIMOptions.torchmetrics.dataRange.resolved(for: x, y)
    /// ```
    ///
    /// - Throws: ``SSIMError/degenerateDataRange(_:)`` when a range taken from the inputs is not
    ///   finite and positive (constant images, NaN or infinity). A ``value(_:)`` is returned as
    ///   it is: the functions that take options check it.
    public func resolved<Scalar: SSIMScalar>(for x: Tensor<Scalar>, _ y: Tensor<Scalar>) throws -> Scalar {
        switch self {
        case let .value(range):
            return Scalar(range)
        case .inputSpan:
            let range = Scalar(max(span(x.scalars), span(y.scalars)))
            guard range.isFinite, range > 0 else { throw SSIMError.degenerateDataRange(Double(range)) }
            return range
        }
    }
}

/// `max - min` of some scalars, in `Double` (NaN if any is NaN or infinite). Written as
/// selects and a sum the compiler vectorises: `v < low ? v : low` is the processor's minimum,
/// and `v - v` is 0 for a finite `v` and NaN otherwise.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func span<Scalar: SSIMScalar>(_ values: [Scalar]) -> Double {
    guard let first = values.first else { return 0 }
    var low = first, high = first, check = Scalar(0)
    values.withUnsafeBufferPointer { buffer in
        for v in buffer {
            low = v < low ? v : low
            high = v > high ? v : high
            check += v - v
        }
    }
    return check.isNaN ? .nan : Double(high) - Double(low)
}
