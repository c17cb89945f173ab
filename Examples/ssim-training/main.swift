// Recovers a picture from noise by gradient descent on the SSIM loss: the loop a Swift user
// copies into a training program. Run it with `swift run -c release ssim-training`.
//
// The objective mixes the SSIM loss with an L1 term, as image-restoration losses often do
// (Zhao et al.), and is differentiated by Swift's automatic differentiation through
// `SSIMLoss`, whose derivative is the library's hand-derived backward. Optimiser: Adam on the
// pixels.
//
// `--loss gaussian-splatting` or `--loss monodepth2` trains with the fused SSIM + L1 loss of
// those codebases instead (`SSIML1Loss.gaussianSplatting`, `.monodepth2`: the value and the
// gradient from one forward and one backward pass).
import StructuralSimilarity
#if canImport(_Differentiation)
import _Differentiation
#endif

/// The objective: this example's own mix, or a preset of `SSIML1Loss`.
enum TrainingLoss: String, CaseIterable {
    case zhao, gaussianSplatting = "gaussian-splatting", monodepth2
}

let arguments = Array(CommandLine.arguments.dropFirst())
var trainingLoss = TrainingLoss.zhao
if !arguments.isEmpty {
    guard arguments.count == 2, arguments[0] == "--loss", let chosen = TrainingLoss(rawValue: arguments[1]) else {
        print("Error: ssim-training takes --loss \(TrainingLoss.allCases.map(\.rawValue).joined(separator: " | ")) (default zhao)")
        exit(64)
    }
    trainingLoss = chosen
}
let size = 64
let target = makeTarget()
let criterion = try SSIMLoss(windowSize: 11)  // kornia.losses.SSIMLoss(11)
let fused: SSIML1Loss? =
    switch trainingLoss {
    case .zhao: nil
    case .gaussianSplatting: .gaussianSplatting  // (1 - 0.2) L1 + 0.2 (1 - SSIM)
    case .monodepth2: .monodepth2  // 0.85 clamp((1 - SSIM) / 2) + 0.15 L1
    }
var pixels = makeNoise(count: target.scalars.count)  // the image being optimised
var adam = Adam(count: pixels.count, learningRate: 0.02)

print("loss: \(trainingLoss.rawValue)")
print("step      loss   mean SSIM")
for step in 0...200 {
    let prediction = try Tensor(shape: target.shape, scalars: pixels)
    let (loss, gradient) = try objectiveWithGradient(prediction, target)
    if step % 25 == 0 {
        let meanSSIM = try ssim(prediction, target, windowSize: 11).mean().scalar
        print(String(step) + String(repeating: " ", count: 6 - String(step).count), loss, meanSSIM)
    }
    adam.update(&pixels, gradient: gradient.scalars)
    pixels = pixels.map { min(max($0, 0), 1) }  // keep a valid image
}
let final = try ssim(try Tensor(shape: target.shape, scalars: pixels), target, windowSize: 11).mean().scalar
print("final mean SSIM \(final)")
if final < 0.95 { print("did not reach mean SSIM 0.95"); exit(1) }

/// `0.84 * SSIM loss + 0.16 * L1` (or the fused loss) and its gradient with respect to the prediction.
func objectiveWithGradient(_ prediction: Tensor<Float>, _ target: Tensor<Float>) throws -> (Float, Tensor<Float>) {
    if let fused {
        let (value, gradient) = try fused.valueWithGradient(prediction, target)
        return (value.scalar, gradient)
    }
    #if canImport(_Differentiation) && !DEBUG
    return try valueWithGradient(at: prediction) { p in
        try criterion(p, target).scalar * 0.84 + abs(p - target).mean().scalar * 0.16
    }
    #else
    // Debug builds (Swift 6.3.1 miscompiles pullbacks through throwing functions there) and
    // toolchains without _Differentiation: the same objective with the explicit gradient.
    let (ssimPart, ssimGradient) = try criterion.valueWithGradient(prediction, target)
    let count = Float(prediction.scalars.count)
    let l1 = zip(prediction.scalars, target.scalars).reduce(Float(0)) { $0 + abs($1.0 - $1.1) } / count
    let l1Gradient = zip(prediction.scalars, target.scalars).map { ($0 > $1 ? 1 : ($0 < $1 ? -1 : 0)) / count }
    let gradient = zip(ssimGradient.scalars, l1Gradient).map { 0.84 * $0 + 0.16 * $1 }
    return (ssimPart.scalar * 0.84 + l1 * 0.16, try Tensor(shape: prediction.shape, scalars: gradient))
    #endif
}

/// Adam (Kingma and Ba) on a flat array of parameters.
struct Adam {
    var m: [Float], v: [Float], t = 0
    let learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8

    init(count: Int, learningRate: Float) {
        m = Array(repeating: 0, count: count)
        v = Array(repeating: 0, count: count)
        self.learningRate = learningRate
    }

    mutating func update(_ parameters: inout [Float], gradient: [Float]) {
        t += 1
        let correction1 = 1 - pow(beta1, Float(t)), correction2 = 1 - pow(beta2, Float(t))
        for i in parameters.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * gradient[i]
            v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i]
            parameters[i] -= learningRate * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + epsilon)
        }
    }
}

/// A grey 64 x 64 picture with a gradient, a disc and stripes.
func makeTarget() -> Tensor<Float> {
    var values: [Float] = []
    for i in 0..<size {
        for j in 0..<size {
            let x = Float(j) / Float(size), y = Float(i) / Float(size)
            var v = 0.2 + 0.5 * x
            if (x - 0.35) * (x - 0.35) + (y - 0.4) * (y - 0.4) < 0.05 { v = 0.9 }
            if y > 0.75 { v = (j / 4) % 2 == 0 ? 0.15 : 0.75 }
            values.append(v)
        }
    }
    return try! Tensor(shape: [1, 1, size, size], scalars: values)
}

/// Seeded uniform noise in [0, 1].
func makeNoise(count: Int) -> [Float] {
    var state: UInt64 = 42
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24)
    }
}
