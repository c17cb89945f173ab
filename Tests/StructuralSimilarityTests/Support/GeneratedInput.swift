import Foundation
@testable import StructuralSimilarity

/// A pair of images a fixture stores as seeds (`generated_input` of `Scripts/fixture_inputs.py`
/// and `Scripts/make_wang_msssim_fixtures.py`): `x = Float(randomTensor(seedX))`,
/// `y = Float(mix x + (1 - mix) Float(randomTensor(seedY)))`, every value a float32, with the
/// sums Python found to check that Swift generates the same pixels.
struct GeneratedInput: Decodable, Sendable {
    struct Seeds: Decodable, Sendable { let seedX: UInt64; let seedY: UInt64; let mix: Double }
    let id: String
    let shape: [Int]
    let generated: Seeds
    let sumX: Double
    let sumY: Double

    /// The two images in Double.
    func images() -> (x: [Double], y: [Double]) {
        let a: Tensor<Float> = randomTensor(shape, seed: generated.seedX)
        let r: Tensor<Float> = randomTensor(shape, seed: generated.seedY)
        let xs = a.scalars.map { Double($0) }
        let ys = zip(xs, r.scalars).map { Double(Float(generated.mix * $0 + (1 - generated.mix) * Double($1))) }
        return (xs, ys)
    }
}
