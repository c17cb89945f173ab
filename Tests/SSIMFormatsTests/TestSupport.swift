import Foundation
import StructuralSimilarity
@testable import SSIMFormats
@_exported import SSIMTestSupport

/// The files in Fixtures/ and the formulas Scripts/make_format_fixtures.py made them with.
enum Fixtures {
    static let width = 5, height = 4

    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    static func v8(_ x: Int, _ y: Int, _ c: Int) -> Int { (x * 37 + y * 71 + c * 101) % 256 }
    static func v16(_ x: Int, _ y: Int, _ c: Int) -> Int { (x * 4001 + y * 10007 + c * 20011) % 65536 }
    static func paletteEntry(_ i: Int) -> [Int] { [i * 15 % 256, 255 - i * 15 % 256, i * 7 % 256] }

    /// The `(1, C, 4, 5)` tensor of `sample(x, y, c) / maximum`, as the reader should return it.
    static func expected(channels: Int, maximum: Float, _ sample: (Int, Int, Int) -> Int) throws -> Tensor<Float> {
        var scalars: [Float] = []
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width { scalars.append(Float(sample(x, y, c)) / maximum) }
            }
        }
        return try Tensor(shape: [1, channels, height, width], scalars: scalars)
    }
}

/// The ``FormatError`` that `body` throws, or nil when it throws nothing or something else.
func formatError(_ body: () throws -> Void) -> FormatError? {
    do {
        try body()
        return nil
    } catch {
        return error as? FormatError
    }
}

/// A new empty directory, deleted with its contents when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "ssim-formats-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path).sorted()) ?? [] }
}

/// A `(1, C, H, W)` tensor whose values are multiples of 1/255, so 8-bit files hold them exactly.
func quantisedImage(channels: Int, height: Int, width: Int, seed: UInt64) throws -> Tensor<Float> {
    var generator = SplitMix64(seed: seed)
    let scalars = (0..<channels * height * width).map { _ in Float(Int.random(in: 0...255, using: &generator)) / 255 }
    return try Tensor(shape: [1, channels, height, width], scalars: scalars)
}
