import Foundation

/// Decodes `Fixtures/<name>.json` of the test bundle; a missing or unreadable file stops the
/// run with the script that writes it.
///
/// ```swift
/// let file: File = decodeFixture("kornia_ssim", writtenBy: "Scripts/make_kornia_fixtures.py")
/// ```
func decodeFixture<File: Decodable>(_ name: String, writtenBy script: String) -> File {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
        let data = try? Data(contentsOf: url),
        let file = try? JSONDecoder().decode(File.self, from: data)
    else { fatalError("Fixtures/\(name).json is missing or unreadable: run \(script)") }
    return file
}

/// What Kornia's SSIM (2-D or 3-D) and torch autograd gave for one golden case in one dtype:
/// the SSIM map, the loss (reduced, or the loss map), the loss's gradients with respect to both
/// inputs, and the gradients of `sum(mapWeights * ssim)` where the case has weights.
struct KorniaResults: Decodable, Sendable {
    let map: [Double]
    let loss: [Double]
    let grad1: [Double]
    let grad2: [Double]
    let mapGrad1: [Double]?
    let mapGrad2: [Double]?
}
