import StructuralSimilarity

/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded generator, so every run and every
/// process times the same pixels.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A tensor of uniform random pixels in [0, 1], written straight into its storage (no
/// temporary copy, so the process's peak memory holds only the images themselves).
func randomImages<Scalar: SSIMScalar>(_ shape: [Int], seed: UInt64, as _: Scalar.Type = Scalar.self) throws -> Tensor<Scalar> {
    var generator = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    let scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count {
            // 53 random bits: a Double in [0, 1), rounded to the scalar type (Float may round up to 1).
            buffer.initializeElement(at: i, to: Scalar(Double(generator.next() >> 11) * 0x1p-53))
        }
        initialized = count
    }
    return try Tensor(shape: shape, scalars: scalars)
}
