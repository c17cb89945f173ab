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

/// A fixture whose images are generated pairs and whose map upstreams are seeded weights
/// (`Scripts/fixture_inputs.py`): `Fixtures/components.json` and `Fixtures/ssim_l1.json`.
struct SeededFixtureFile<Case: Decodable & Sendable>: Decodable, Sendable {
    let weightsSeed: UInt64
    let inputs: [GeneratedInput]
    let cases: [Case]

    /// The pair `input` times `scale` (as the script scales it) and the weights of the map's
    /// upstream (`randomTensor(shape, seed: weightsSeed)`), at `Scalar` precision.
    func tensors<Scalar: SSIMScalar>(_ input: String, scale: Double = 1, _: Scalar.Type) -> (
        x: Tensor<Scalar>, y: Tensor<Scalar>, weights: Tensor<Scalar>
    ) {
        let pair = inputs.first { $0.id == input }!
        let (xs, ys) = pair.images()
        let w: Tensor<Double> = randomTensor(pair.shape, seed: weightsSeed)
        func tensor(_ values: [Double]) -> Tensor<Scalar> { try! Tensor(shape: pair.shape, scalars: values.map { Scalar($0) }) }
        return (tensor(xs.map { $0 * scale }), tensor(ys.map { $0 * scale }), tensor(w.scalars))
    }
}
