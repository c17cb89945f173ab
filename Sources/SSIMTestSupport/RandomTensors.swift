import StructuralSimilarity

/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded generator, so that tests and
/// benchmarks see the same pixels in every run and every process.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let bits = generator.next()
/// ```
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A tensor of uniform random values in `range`, from 53 random bits per element rounded to
/// `Scalar`, written straight into its storage (no temporary copy: a benchmark's peak memory
/// holds only the images).
///
/// ```swift
/// let x: Tensor<Float> = randomTensor([1, 3, 64, 64], seed: 1)
/// ```
public func randomTensor<Scalar: SSIMScalar>(_ shape: [Int], in range: ClosedRange<Double> = 0...1, seed: UInt64) -> Tensor<Scalar> {
    var generator = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    let scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count {
            let unit = Double(generator.next() >> 11) * 0x1p-53
            buffer.initializeElement(at: i, to: Scalar(range.lowerBound + unit * (range.upperBound - range.lowerBound)))
        }
        initialized = count
    }
    return try! Tensor(shape: shape, scalars: scalars)
}
