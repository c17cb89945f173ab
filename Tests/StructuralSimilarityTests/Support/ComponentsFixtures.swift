import Foundation
import Testing
@testable import StructuralSimilarity

/// The fixture of the components and MATLAB's general form (`Fixtures/components.json`, written
/// by `Scripts/make_components_fixtures.py`): MATLAB's documented formula in torch float64 on a
/// generated pair, with torch autograd gradients.
let componentsFixture: SeededFixtureFile<ComponentsCase> = decodeFixture("components", writtenBy: "Scripts/make_components_fixtures.py")

/// One case: MATLAB's options with exponents, constants, a border or a data range of its own.
struct ComponentsCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Options: Decodable, Sendable {
        let exponents: [Double]?
        let constants: [Double]?
        let border: String?
        let dataRange: Double?
    }
    let id: String
    let input: String
    let options: Options
    let map: [Double]
    let gradX: [Double]
    let gradY: [Double]
    let loss: Double
    let lossGradX: [Double]
    let luminance: [Double]
    let contrast: [Double]
    let structure: [Double]
    let contrastStructure: [Double]

    var testDescription: String { id }

    /// ``SSIMOptions/matlab`` with the case's settings.
    var ssimOptions: SSIMOptions {
        var o = SSIMOptions.matlab
        if let e = options.exponents { o.exponents = SSIMExponents(alpha: e[0], beta: e[1], gamma: e[2]) }
        if let c = options.constants { o.regularizationConstants = SSIMRegularizationConstants(c1: c[0], c2: c[1], c3: c[2]) }
        if let b = options.border { o.border = Border(rawValue: b)! }
        if let r = options.dataRange { o.dataRange = .value(r) }
        return o
    }

    /// The pair (times the data range) and the weights of the map's upstream.
    func tensors<Scalar: SSIMScalar>(_: Scalar.Type) -> (x: Tensor<Scalar>, y: Tensor<Scalar>, weights: Tensor<Scalar>) {
        componentsFixture.tensors(input, scale: options.dataRange ?? 1, Scalar.self)
    }
}
