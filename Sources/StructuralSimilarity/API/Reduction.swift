/// How a loss map is reduced to the value a loss function returns (Kornia's `reduction`).
///
/// The raw values are Kornia's strings, so `Reduction(rawValue: "sum")` parses a command-line
/// option.
public enum Reduction: String, Sendable, CaseIterable {
    /// The mean over every element of the loss map: a rank-0 tensor.
    case mean
    /// The sum over every element of the loss map: a rank-0 tensor.
    case sum
    /// No reduction: the loss map itself, the shape of the SSIM map.
    case none
}

extension Reduction {
    /// The loss this reduction returns from the `sum` of a loss map of `count` elements: the sum
    /// itself, or the mean (the map itself for `.none` is not a number: its sum is returned).
    func value(sum: Double, count: Int) -> Double {
        self == .mean ? sum / Double(count) : sum
    }

    /// The upstream of the backward kernels for the `seed` of the reduced loss (or of each map
    /// element, for `.none`): each loss-map element's weight in the loss times the seed, one value
    /// used for every element (`.mean`, `.sum`) or one per element (`.none`), in the kernels'
    /// precision `Kernel` (`seed / count` is rounded to it, as the kernels compute it).
    func upstream<Scalar: SSIMScalar, Kernel: SSIMScalar>(_ seed: Tensor<Scalar>, count: Int, as _: Kernel.Type = Kernel.self) -> [Kernel] {
        if self == .mean { return [Kernel(seed.scalars[0]) / Kernel(count)] }
        if let same = seed.scalars as? [Kernel] { return same }
        return seed.scalars.map { Kernel($0) }
    }
}
