import StructuralSimilarity

/// What a case times.
enum Operation: String, Sendable {
    /// `ssim` (`ssim3D` for volumes): the SSIM map.
    case map
    /// `ssimLoss` (`ssim3DLoss`) with `.mean`: a rank-0 loss, no map kept.
    case loss
    /// `ssimLossWithGradient` (`ssim3DLossWithGradient`) with `.mean`: the loss and its gradient
    /// with respect to the first image.
    case lossWithGradient = "loss+grad"
    /// `MSSSIMLoss()` (Kornia's defaults: 5 scales, 33 taps, zero padding, `.mean`).
    case msssimLoss = "ms-ssim"
    /// `MSSSIMLoss().valueWithGradient`: the loss and its gradient with respect to the first image.
    case msssimLossWithGradient = "ms-ssim+grad"
    /// `MSSSIMLoss(masks: .exact)`: exact float64 masks (no dense correction for Double).
    case msssimExactLoss = "ms-ssim-exact"
    /// `multiScaleSSIM(x, y, options:)`: Wang's MS-SSIM of each image under a preset.
    case multiScaleSSIM = "multiscale-ssim"
    /// `multiScaleSSIMLossWithGradient(x, y, options:)`: `1 - MS-SSIM`, `.mean`, and its gradient.
    case multiScaleSSIMLossWithGradient = "multiscale-ssim+grad"
    /// `SSIML1Loss.gaussianSplatting` (`.mean`): 3D Gaussian splatting's fused SSIM + L1 loss.
    case photometricLoss = "ssim-l1"
    /// `SSIML1Loss.gaussianSplatting.valueWithGradient`: the loss and its gradient with respect
    /// to the first image, from one forward and one backward pass.
    case photometricLossWithGradient = "ssim-l1+grad"
    /// `ssimLossWithGradient` with `SSIML1Loss.gaussianSplatting`'s options: the SSIM term alone,
    /// what the fused pass is measured against.
    case photometricSSIMPartWithGradient = "ssim-part+grad"
}

/// The element type of a case's images.
enum ScalarType: String, Sendable {
    case float = "Float"
    case double = "Double"

    var byteCount: Int { self == .float ? 4 : 8 }
}

/// One named measurement: images of one shape and type, one window, one padding, one operation.
struct BenchmarkCase: Sendable {
    let name: String
    /// `(B, C, H, W)` for images, `(B, C, D, H, W)` for volumes (timed through the 3-D functions).
    let shape: [Int]
    let scalarType: ScalarType
    let windowSize: Int
    let padding: Padding
    let operation: Operation
    /// Computed through `SSIMOptions` with this preset (window size and padding are the
    /// preset's); `nil`: through the Kornia API (`windowSize:padding:`).
    var convention: SSIMConvention? = nil
    /// The preset of Wang's MS-SSIM cases.
    var multiScaleConvention: MultiScaleSSIMConvention? = nil
    /// Whether the case is the masked SSIM (Kornia's options, weights `(B, 1, H, W)`: a disc of
    /// ones with a soft edge, zeros around it; see ``BenchmarkCase/maskWeights(_:)``).
    var masked = false

    var pixelCount: Int { shape.reduce(1, *) }
    var shapeText: String { shape.map(String.init).joined(separator: "x") }

    /// Bytes of the two input images.
    var inputBytes: Int { 2 * pixelCount * scalarType.byteCount }
    /// Bytes of what the operation returns: the map, the gradient, or one scalar for a loss.
    var outputBytes: Int {
        let half = windowSize / 2
        let outputPixels =
            padding == .same
            ? pixelCount
            : shape[0] * shape[1] * shape.dropFirst(2).reduce(1) { $0 * ($1 - 2 * half) }
        switch operation {
        case .map: return outputPixels * scalarType.byteCount
        case .loss, .msssimLoss, .msssimExactLoss, .photometricLoss: return scalarType.byteCount
        case .multiScaleSSIM: return shape[0] * scalarType.byteCount
        case .lossWithGradient, .msssimLossWithGradient, .multiScaleSSIMLossWithGradient, .photometricLossWithGradient,
            .photometricSSIMPartWithGradient:
            return (pixelCount + 1) * scalarType.byteCount
        }
    }
}

extension BenchmarkCase {
    /// Every case, in the order the default run times them.
    static let all: [BenchmarkCase] = {
        var cases: [BenchmarkCase] = []
        func add(_ name: String, _ shape: [Int], _ type: ScalarType, window: Int, _ padding: Padding, _ operations: [Operation]) {
            for operation in operations {
                let suffix = operations.count > 1 ? "-" + operationSuffix(operation) : ""
                cases.append(
                    BenchmarkCase(
                        name: name + suffix, shape: shape, scalarType: type, windowSize: window,
                        padding: padding, operation: operation))
            }
        }
        // The headline: a batch of four 1-megapixel RGB images.
        add("headline", [4, 3, 1024, 1024], .float, window: 11, .same, [.loss, .lossWithGradient, .map])
        // One large plane: 16 megapixels, one channel.
        add("large-plane", [1, 1, 4096, 4096], .float, window: 11, .same, [.loss, .lossWithGradient])
        // Many small images: per-plane overheads.
        add("small-images", [64, 3, 128, 128], .float, window: 11, .same, [.loss, .lossWithGradient])
        // Double precision.
        add("double", [2, 3, 512, 512], .double, window: 11, .same, [.loss, .lossWithGradient])
        // A smaller window with the valid crop.
        add("valid-w7", [4, 3, 1024, 1024], .float, window: 7, .valid, [.loss, .lossWithGradient])
        // Scaling in pixels: time should grow linearly with H W.
        for side in [256, 512, 1024] {
            add("pixels-\(side)", [1, 3, side, side], .float, window: 11, .same, [.loss])
        }
        // Scaling in the window: separable filtering, time should grow linearly with the window.
        for window in [3, 7, 11, 15, 21] {
            add("window-\(window)", [1, 3, 512, 512], .float, window: window, .same, [.loss])
        }
        // The masked SSIM on the headline's images (against headline-loss and headline-loss-grad).
        for operation in [Operation.loss, .lossWithGradient] {
            cases.append(
                BenchmarkCase(
                    name: "masked-headline-" + operationSuffix(operation), shape: [4, 3, 1024, 1024], scalarType: .float, windowSize: 11,
                    padding: .same, operation: operation, masked: true))
        }
        // Volumes (SSIM3D): one 64-slice 128 x 128 volume, the 3-D window of 7^3.
        add("volume-w7", [1, 1, 64, 128, 128], .float, window: 7, .same, [.loss, .lossWithGradient, .map])
        // Wide slices (512 x 512): the slices are split into row tiles that stay in cache.
        add("volume-wide", [1, 1, 32, 512, 512], .float, window: 7, .same, [.loss])
        // Other libraries' conventions through SSIMOptions (kornia's equals pixels-1024 through
        // the options path).
        for convention in SSIMConvention.allCases {
            let options = convention.options
            cases.append(
                BenchmarkCase(
                    name: "convention-\(convention.rawValue)", shape: [1, 3, 1024, 1024], scalarType: .float,
                    windowSize: options.windowSize, padding: options.padding, operation: .loss, convention: convention))
        }
        // MS-SSIM + L1 (MSSSIMLoss at Kornia's defaults: the window is 33 taps, zero padding).
        add("msssim-256", [4, 3, 256, 256], .float, window: 33, .same, [.msssimLoss, .msssimLossWithGradient])
        add("msssim-headline", [4, 3, 1024, 1024], .float, window: 33, .same, [.msssimLoss, .msssimLossWithGradient])
        add("msssim-double", [1, 3, 256, 256], .double, window: 33, .same, [.msssimLoss, .msssimLossWithGradient, .msssimExactLoss])
        // 3D Gaussian splatting's fused loss, (1 - 0.2) L1 + 0.2 (1 - SSIM), zero border
        // (Scripts/compare_gaussian_splatting_speed.py times the codebase's PyTorch loss).
        add(
            "gaussian-splatting", [4, 3, 1024, 1024], .float, window: 11, .same,
            [.photometricLoss, .photometricLossWithGradient, .photometricSSIMPartWithGradient])
        // Wang's multi-scale SSIM (pytorch-msssim's preset): five scales of the 11-tap window.
        for (name, shape) in [("wang-msssim-headline", [4, 3, 1024, 1024]), ("wang-msssim-volume", [1, 1, 192, 192, 192])] {
            for operation in [Operation.multiScaleSSIM, .multiScaleSSIMLossWithGradient] {
                cases.append(
                    BenchmarkCase(
                        name: name + (operation == .multiScaleSSIM ? "" : "-loss-grad"), shape: shape, scalarType: .float, windowSize: 11,
                        padding: .valid, operation: operation, multiScaleConvention: .pytorchMSSSIM))
            }
        }
        return cases
    }()

    private static func operationSuffix(_ operation: Operation) -> String {
        switch operation {
        case .map: return "map"
        case .loss: return "loss"
        case .lossWithGradient: return "loss-grad"
        case .msssimLoss: return "loss"
        case .msssimLossWithGradient: return "loss-grad"
        case .msssimExactLoss: return "exact-loss"
        case .multiScaleSSIM: return "map"
        case .multiScaleSSIMLossWithGradient: return "loss-grad"
        case .photometricLoss: return "loss"
        case .photometricLossWithGradient: return "loss-grad"
        case .photometricSSIMPartWithGradient: return "ssim-part-loss-grad"
        }
    }
}

extension BenchmarkCase {
    /// The weights of a masked case, `(B, 1, H, W)`: 1 within a disc of radius 0.35 of the
    /// shorter side about the centre, falling linearly to 0 over 8 pixels beyond it.
    static func maskWeights<Scalar: SSIMScalar>(_ shape: [Int]) -> Tensor<Scalar> {
        let (batch, height, width) = (shape[0], shape[2], shape[3])
        let radius = 0.35 * Double(min(height, width))
        var plane = [Scalar](repeating: 0, count: height * width)
        for r in 0..<height {
            for c in 0..<width {
                let d =
                    ((Double(r) - Double(height) / 2) * (Double(r) - Double(height) / 2)
                    + (Double(c) - Double(width) / 2) * (Double(c) - Double(width) / 2)).squareRoot()
                plane[r * width + c] = Scalar(min(1, max(0, (radius + 8 - d) / 8)))
            }
        }
        return try! Tensor(shape: [batch, 1, height, width], scalars: Array([[Scalar]](repeating: plane, count: batch).joined()))
    }
}
