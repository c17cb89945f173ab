import Foundation
import SSIMFormats
import StructuralSimilarity

/// The built-in demonstration (Wang et al. 2004, figure 2): one picture, five distortions of
/// about the same mean squared error, which SSIM ranks very differently.
enum Demo {
    static let size = 192
    static let targetMSE = 0.0025  // PSNR 26 dB

    static func run(outputDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let reference = picture()
        let distortions: [(String, Tensor<Float>)] = [
            ("brightness", reference.map { $0 + Float(targetMSE.squareRoot()) }),
            ("contrast", contrast(reference)),
            ("noise", noise(reference)),
            ("blur", try closest(reference) { blur(reference, sigma: 0.3 + Double($0) * 0.05) }),
            ("jpeg", try closest(reference) { try jpegRoundTrip(reference, quality: 2 + $0) }),
        ]
        try ImageFile.write(reference, to: "\(outputDirectory)/reference.png")
        print("Reference: a generated \(size)x\(size) RGB picture; window 11, padding same.")
        print("distortion       MSE    PSNR dB      SSIM     DSSIM")
        for (name, image) in distortions {
            let mse = meanSquaredError(reference, image)
            let map = try ssim(reference, image, windowSize: 11)
            let meanSSIM = Comparison.mean(map)
            let loss = try ssimLoss(reference, image, windowSize: 11).scalar
            let label = name.padding(toLength: 12, withPad: " ", startingAt: 0)
            print(label + String(format: " %9.5f %9.2f %9.4f %9.5f", mse, 10 * log10(1 / mse), meanSSIM, loss))
            try ImageFile.write(image, to: "\(outputDirectory)/\(name).png")
            try ImageFile.write(try HeatMap().render(map), to: "\(outputDirectory)/\(name)-ssim-map.png")
        }
        print("Equal MSE, different SSIM: brightness and contrast keep the structure, noise, blur and")
        print("JPEG do not. Pictures and heat-maps (bright = dissimilar) are in \(outputDirectory)/.")
    }

    /// A smooth scene with edges and texture, values within [0.1, 0.9] so that shifts do not clip.
    static func picture() -> Tensor<Float> {
        var values = [Float](repeating: 0, count: 3 * size * size)
        for c in 0..<3 {
            for i in 0..<size {
                for j in 0..<size {
                    let y = Double(i) / Double(size), x = Double(j) / Double(size)
                    var v = 0.3 + 0.3 * x + 0.1 * Double(c) * y
                    if (x - 0.35) * (x - 0.35) + (y - 0.4) * (y - 0.4) < 0.04 { v = 0.8 - 0.15 * Double(c) }
                    if x > 0.6 && y > 0.55 { v = 0.5 + 0.25 * sin(40 * x) * sin(30 * y) }
                    if y > 0.8 && x < 0.5 { v = (Int(x * 40) % 2 == 0) ? 0.2 : 0.7 }
                    values[(c * size + i) * size + j] = Float(min(max(v, 0.1), 0.9))
                }
            }
        }
        return try! Tensor(shape: [1, 3, size, size], scalars: values)
    }

    static func meanSquaredError(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Double {
        zip(a.scalars, b.scalars).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(a.scalars.count)
    }

    /// Contrast scaled about the mean so that the MSE is the target: (k - 1)^2 var = MSE.
    static func contrast(_ image: Tensor<Float>) -> Tensor<Float> {
        let mean = image.scalars.reduce(0.0) { $0 + Double($1) } / Double(image.scalars.count)
        let variance = image.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(image.scalars.count)
        let k = 1 + (targetMSE / variance).squareRoot()
        return image.map { Float(mean + k * (Double($0) - mean)) }
    }

    /// Seeded Gaussian noise scaled to the target MSE exactly.
    static func noise(_ image: Tensor<Float>) -> Tensor<Float> {
        var state: UInt64 = 2004
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) * 0x1p-53
        }
        var n = (0..<image.scalars.count).map { _ in (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
        let power = n.reduce(0) { $0 + $1 * $1 } / Double(n.count)
        n = n.map { $0 * (targetMSE / power).squareRoot() }
        return try! Tensor(shape: image.shape, scalars: zip(image.scalars, n).map { $0 + Float($1) })
    }

    /// Separable Gaussian blur with a reflect border.
    static func blur(_ image: Tensor<Float>, sigma: Double) -> Tensor<Float> {
        let radius = Int((3 * sigma).rounded(.up))
        let taps: [Double] = gaussianWindow(size: 2 * radius + 1, sigma: sigma)
        var values = image.scalars
        let n = size
        func reflect(_ i: Int) -> Int { i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i) }
        for plane in 0..<3 {
            let base = plane * n * n
            var tmp = values
            for i in 0..<n {
                for j in 0..<n {
                    tmp[base + i * n + j] = Float((0..<taps.count).reduce(0.0) { $0 + taps[$1] * Double(values[base + i * n + reflect(j + $1 - radius)]) })
                }
            }
            for i in 0..<n {
                for j in 0..<n {
                    values[base + i * n + j] = Float((0..<taps.count).reduce(0.0) { $0 + taps[$1] * Double(tmp[base + reflect(i + $1 - radius) * n + j]) })
                }
            }
        }
        return try! Tensor(shape: image.shape, scalars: values)
    }

    /// Of a family of distortions indexed 0..<60 whose error grows (or shrinks) with the index,
    /// the one whose MSE is closest to the target, found by bisection.
    static func closest(_ reference: Tensor<Float>, _ make: (Int) throws -> Tensor<Float>) throws -> Tensor<Float> {
        var cache: [Int: (gap: Double, image: Tensor<Float>, above: Bool)] = [:]
        func evaluate(_ index: Int) throws -> (gap: Double, image: Tensor<Float>, above: Bool) {
            if let known = cache[index] { return known }
            let image = try make(index)
            let mse = meanSquaredError(reference, image)
            let result = (abs(log(mse / targetMSE)), image, mse > targetMSE)
            cache[index] = result
            return result
        }
        var low = 0, high = 59
        let increasing = try !evaluate(low).above
        while high - low > 1 {
            let middle = (low + high) / 2
            if try evaluate(middle).above == increasing { high = middle } else { low = middle }
        }
        let (a, b) = (try evaluate(low), try evaluate(high))
        return a.gap <= b.gap ? a.image : b.image
    }
}

extension Tensor where Scalar == Float {
    func map(_ transform: (Float) -> Float) -> Tensor<Float> {
        try! Tensor(shape: shape, scalars: scalars.map(transform))
    }
}
