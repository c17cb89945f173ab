import SSIMFormats
import StructuralSimilarity

/// Compares two files: reads them, computes the SSIM map, the loss and the requested outputs,
/// writes the outputs and returns the result for the caller to print. Rank-5 `.npy` volumes
/// `(B, C, D, H, W)` are compared with the 3-D SSIM (``ssim3D(_:_:windowSize:maxValue:eps:padding:)``).
///
/// All computing is done before the first output is written, so a comparison that fails
/// (images of different sizes, a window too large) leaves no output behind.
enum Comparison {
    /// Compares the files at `path1` and `path2`, or the tensors already read from them (`inputs`:
    /// folder mode reads the next pair while this one is compared).
    static func run(
        _ path1: String, _ path2: String, _ settings: SSIMSettings, outputs: OutputPaths,
        inputs: (InputTensor, InputTensor)? = nil
    ) throws -> ComparisonResult {
        switch try inputs ?? InputTensor.reading(path1, path2, settings.images) {
        case let (.float(a), .float(b)):
            return try compare(a, b, path1, path2, settings, outputs: outputs)
        case let (first, second):
            // A float64 input makes the pair float64, as torch promotes it.
            return try compare(first.promoted, second.promoted, path1, path2, settings, outputs: outputs)
        }
    }

    static func compare<Scalar: SSIMScalar>(
        _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ path1: String, _ path2: String, _ s: SSIMSettings,
        outputs: OutputPaths
    ) throws -> ComparisonResult {
        if s.metric == .msSSIM { return try compareWang(x, y, path1, path2, s, outputs: outputs) }
        if s.loss == .msSSIM { return try compareMultiScale(x, y, path1, path2, s, outputs: outputs) }
        if s.loss.photometricPreset != nil { return try comparePhotometric(x, y, path1, path2, s, outputs: outputs) }
        var outputs = outputs
        guard x.shape == y.shape else {
            throw DataError(
                description: "'\(path1)' has shape \(x.shape) but '\(path2)' has shape \(y.shape); "
                    + "compare images of the same size")
        }
        let volumes = x.shape.count == 5
        if volumes, s.stats || outputs.diff != nil {
            throw UsageError(
                description: "'\(path1)' and '\(path2)' are volumes (B, C, D, H, W): --stats and --diff "
                    + "describe 2-D images; drop them (or compare the slices as images)")
        }
        if volumes, outputs.components != nil {
            throw UsageError(
                description: "'\(path1)' and '\(path2)' are volumes (B, C, D, H, W): --components writes the terms of the "
                    + "2-D SSIM; drop it (or compare the slices as images)")
        }
        if outputs.diff != nil, x.shape[0] != 1 {
            throw DataError(
                description: "--diff draws one image, and '\(path1)' holds a batch of \(x.shape[0]); "
                    + "compare the images one by one")
        }
        if volumes, let path = outputs.map, FileFormat(pathExtensionOf: path) == .png {
            guard outputs.volumeMapAsNumPy else {
                throw UsageError(
                    description: "'\(path1)' and '\(path2)' are volumes (B, C, D, H, W): their SSIM map is 3-D "
                        + "and has no heat-map; --map writes it to .npy only (e.g. --map map.npy)")
            }
            outputs.map = String(path.dropLast(".png".count)) + ".npy"
        }
        let options = s.options
        // Volumes take Kornia's ssim3d, whose only options are the window size, range, eps and padding.
        var volumeOptions = SSIMOptions.kornia
        volumeOptions.windowSize = options.windowSize
        volumeOptions.dataRange = options.dataRange
        volumeOptions.eps = options.eps
        volumeOptions.padding = options.padding
        if volumes && options != volumeOptions {
            throw UsageError(
                description: "'\(path1)' and '\(path2)' are volumes (B, C, D, H, W), compared with Kornia's 3-D SSIM "
                    + "only: --convention, --sigma, --border, --k1 and --k2 apply to images")
        }
        if volumes, s.mask != nil {
            throw UsageError(
                description: "'\(path1)' and '\(path2)' are volumes (B, C, D, H, W): --mask weights 2-D images only")
        }
        let weights: Tensor<Scalar>? = try s.mask.map { try MaskFile.weights($0, ImageSettings()) }
        let maxValue = Scalar(options.maxValue ?? 1), eps = Scalar(options.eps)
        let window = options.windowSize, padding = options.padding
        // Images: one summary pass (any convention). Volumes: the 3-D functions (same outputs).
        // With --mask, the masked functions: the mean SSIM is then the weighted mean.
        func lossOf(_ reduction: Reduction) throws -> Tensor<Scalar> {
            if let weights { return try ssimLoss(x, y, options: options, weights: weights, reduction: reduction) }
            return try ssim3DLoss(x, y, windowSize: window, maxValue: maxValue, eps: eps, reduction: reduction, padding: padding)
        }
        // The map is computed only for what reads it: --map, --stats and --diff.
        let wantsMap = outputs.map != nil || s.stats || outputs.diff != nil
        let map: Tensor<Scalar>?, loss: Tensor<Scalar>, gradient: Tensor<Scalar>?, lossMap: Tensor<Scalar>?
        let meanSSIM: Double, meanLoss: Double
        let components: SSIMComponents<Scalar>?
        do {
            if weights == nil && !volumes {
                // One pass of the filters for the mean SSIM, the loss and the maps (their means in the kernels' order).
                let summary = try ssimSummary(
                    x, y, options: options, reduction: s.reduction, keepsMap: wantsMap, keepsLossMap: outputs.lossMap != nil)
                (map, loss, lossMap, meanSSIM) = (summary.map, summary.loss, summary.lossMap, summary.meanSSIM)
                meanLoss = s.reduction == .none ? summary.meanLoss : Double(loss.scalar)
                // The gradient of .none is that of the sum of the loss map (no second forward for the map).
                gradient =
                    outputs.gradient == nil
                    ? nil : try ssimLossWithGradient(x, y, options: options, reduction: s.reduction == .none ? .sum : s.reduction).gradient
            } else {
                if let weights {
                    map = try ssim(x, y, options: options, weights: weights)
                    meanSSIM = Double(try StructuralSimilarity.meanSSIM(x, y, options: options, weights: weights).scalar)
                } else {
                    let volumeMap = try ssim3D(x, y, windowSize: window, maxValue: maxValue, eps: eps, padding: padding)
                    (map, meanSSIM) = (volumeMap, mean(volumeMap))
                }
                if let weights, outputs.gradient != nil {
                    (loss, gradient) = try ssimLossWithGradient(x, y, options: options, weights: weights, reduction: s.reduction)
                } else if outputs.gradient != nil {
                    (loss, gradient) = try ssim3DLossWithGradient(
                        x, y, windowSize: window, maxValue: maxValue, eps: eps, reduction: s.reduction, padding: padding)
                } else {
                    loss = try lossOf(s.reduction)
                    gradient = nil
                }
                lossMap = outputs.lossMap == nil ? nil : s.reduction == .none ? loss : try lossOf(.none)
                meanLoss =
                    s.reduction != .none
                    ? Double(loss.scalar) : try weights.map { Double(try ssimLoss(x, y, options: options, weights: $0).scalar) } ?? mean(loss)
            }
            components = outputs.components == nil ? nil : try ssimComponents(x, y, options: options)
        } catch let error as SSIMError {
            let mask = s.mask.map { " with the mask '\($0)'" } ?? ""
            throw DataError(description: "cannot compare '\(path1)' and '\(path2)'\(mask): \(error)")
        }
        // --stats and --diff read the local map: the lowest SSIM over the channels at each position.
        var stats: SSIMStatistics?, overlay: RGB8Image?
        if s.stats || outputs.diff != nil, let map {
            let local = try LocalSSIMMap(map)
            if s.stats { stats = try SSIMStatistics(local: local, x, y, dataRange: Double(options.dataRange.resolved(for: x, y))) }
            if outputs.diff != nil { overlay = try DifferenceOverlay().render(reference: x, map: local) }
        }

        let inputs = [path1, path2]
        if let path = outputs.map, let map {
            // A heat-map is drawn while it is deflated, so here: the map is valid, only the write can fail.
            if FileFormat(pathExtensionOf: path) == .png {
                try HeatMap().write(map, to: path, inputs: inputs)
            } else {
                try NumPyFile.write(array(map), to: path, inputs: inputs)
            }
        }
        if let path = outputs.lossMap, let lossMap { try NumPyFile.write(array(lossMap), to: path, inputs: inputs) }
        if let path = outputs.gradient, let gradient { try NumPyFile.write(array(gradient), to: path, inputs: inputs) }
        if let path = outputs.diff, let overlay { try ImageFile.write(overlay, to: path, inputs: inputs) }
        if let components {
            let maps = [components.luminance, components.contrast, components.structure, components.contrastStructure]
            for (file, map) in zip(outputs.componentFiles, maps) { try NumPyFile.write(array(map), to: file.path, inputs: inputs) }
        }

        return ComparisonResult(
            image1: path1, image2: path2, ssim: meanSSIM, loss: meanLoss,
            shape: x.shape, dtype: dtypeName(Scalar.self), settings: s, stats: stats)
    }

    /// `--loss ms-ssim`: the MS-SSIM + L1 loss, its `(B, H, W)` loss map and gradient. The batch
    /// of one input may be 1 and the other's larger (the library broadcasts it).
    static func compareMultiScale<Scalar: SSIMScalar>(
        _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ path1: String, _ path2: String, _ s: SSIMSettings,
        outputs: OutputPaths
    ) throws -> ComparisonResult {
        var unreduced = s
        unreduced.reduction = .none
        let (loss, gradient, lossMap) = try lossOutputs(
            x, y, path1, path2, s, outputs: outputs, criterion: { try s.msssim() }, unreduced: { try unreduced.msssim() })
        // A .png loss map is a heat-map of one image's (1, H, W) map, on the scale 0 to its largest value.
        let heatMap = outputs.lossMap.map { FileFormat(pathExtensionOf: $0) == .png } ?? false
        if heatMap, let lossMap, lossMap.shape[0] != 1 {
            throw DataError(
                description: "a heat-map shows one image, and '\(path1)' vs '\(path2)' gives a loss map of "
                    + "shape \(lossMap.shape); write it to .npy (e.g. --loss-map loss.npy)")
        }
        let inputs = [path1, path2]
        if let path = outputs.lossMap, let lossMap {
            if heatMap {
                try HeatMap(scale: .automatic).write(values: lossMap, to: path, inputs: inputs)
            } else {
                try NumPyFile.write(array(lossMap), to: path, inputs: inputs)
            }
        }
        if let path = outputs.gradient, let gradient { try NumPyFile.write(array(gradient), to: path, inputs: inputs) }
        return lossResult(loss, path1, path2, x.shape, s)
    }

    /// `--loss gaussian-splatting`, `--loss monodepth2`: the SSIM + L1 loss (``SSIML1Loss``), its
    /// per-pixel loss `(B, C, H, W)` and its gradient with respect to IMAGE1.
    static func comparePhotometric<Scalar: SSIMScalar>(
        _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ path1: String, _ path2: String, _ s: SSIMSettings,
        outputs: OutputPaths
    ) throws -> ComparisonResult {
        let (loss, gradient, lossMap) = try lossOutputs(
            x, y, path1, path2, s, outputs: outputs, criterion: { try s.ssimL1() },
            unreduced: {
                var criterion = try s.ssimL1()
                criterion.reduction = .none
                return criterion
            })
        let inputs = [path1, path2]
        if let path = outputs.lossMap, let lossMap { try NumPyFile.write(array(lossMap), to: path, inputs: inputs) }
        if let path = outputs.gradient, let gradient { try NumPyFile.write(array(gradient), to: path, inputs: inputs) }
        return lossResult(loss, path1, path2, x.shape, s)
    }

    /// The loss of `criterion()`, with its gradient for `--grad` (``LossWithGradient``) and the
    /// unreduced loss map of `unreduced()` for `--loss-map` (the loss itself under `.none`); the
    /// library's errors as the command's ``DataError``.
    static func lossOutputs<Scalar: SSIMScalar, Criterion: LossWithGradient>(
        _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ path1: String, _ path2: String, _ s: SSIMSettings, outputs: OutputPaths,
        criterion: () throws -> Criterion, unreduced: () throws -> Criterion
    ) throws -> (loss: Tensor<Scalar>, gradient: Tensor<Scalar>?, lossMap: Tensor<Scalar>?) {
        do {
            let criterion = try criterion()
            let (loss, gradient) = outputs.gradient != nil ? try criterion.valueWithGradient(x, y) : (try criterion(x, y), nil)
            let lossMap = outputs.lossMap == nil ? nil : s.reduction == .none ? loss : try unreduced()(x, y)
            return (loss, gradient, lossMap)
        } catch let error as SSIMError {
            throw DataError(description: "cannot compare '\(path1)' and '\(path2)': \(error)")
        }
    }

    /// The result line of a loss that has no SSIM to print (`--loss ms-ssim`, the SSIM + L1 losses).
    static func lossResult<Scalar: SSIMScalar>(
        _ loss: Tensor<Scalar>, _ path1: String, _ path2: String, _ shape: [Int], _ s: SSIMSettings
    ) -> ComparisonResult {
        ComparisonResult(
            image1: path1, image2: path2, ssim: .nan, loss: s.reduction == .none ? mean(loss) : Double(loss.scalar),
            shape: shape, dtype: dtypeName(Scalar.self), settings: s)
    }

    /// The NumPy name of the scalar type, as the result line prints it.
    static func dtypeName<Scalar: SSIMScalar>(_: Scalar.Type) -> String { Scalar.self == Double.self ? "float64" : "float32" }

    /// `--metric ms-ssim`: Wang's multi-scale SSIM of each image (images or volumes), their mean
    /// printed, and with `--grad` the gradient of the mean loss `1 - MS-SSIM` with respect to IMAGE1.
    static func compareWang<Scalar: SSIMScalar>(
        _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ path1: String, _ path2: String, _ s: SSIMSettings,
        outputs: OutputPaths
    ) throws -> ComparisonResult {
        guard x.shape == y.shape else {
            throw DataError(
                description: "'\(path1)' has shape \(x.shape) but '\(path2)' has shape \(y.shape); "
                    + "compare images of the same size")
        }
        let values: Tensor<Scalar>, gradient: Tensor<Scalar>?
        do {
            values = try multiScaleSSIM(x, y, options: s.multiScale)
            gradient = outputs.gradient == nil ? nil : try multiScaleSSIMLossWithGradient(x, y, options: s.multiScale).gradient
        } catch let error as SSIMError {
            throw DataError(description: "cannot compare '\(path1)' and '\(path2)': \(error)")
        }
        if let path = outputs.gradient, let gradient { try NumPyFile.write(array(gradient), to: path, inputs: [path1, path2]) }
        let msssim = mean(values)
        return ComparisonResult(
            image1: path1, image2: path2, ssim: msssim, loss: 1 - msssim,
            shape: x.shape, dtype: dtypeName(Scalar.self), settings: s)
    }

    static func mean<Scalar: SSIMScalar>(_ t: Tensor<Scalar>) -> Double {
        t.scalars.reduce(0.0) { $0 + Double($1) } / Double(t.scalars.count)
    }

    static func array<Scalar: SSIMScalar>(_ t: Tensor<Scalar>) -> NumPyArray {
        if let float = t as? Tensor<Float> { return .float32(float) }
        return .float64(t as! Tensor<Double>)
    }
}

/// A loss the command evaluates with its gradient: ``MSSSIMLoss`` and ``SSIML1Loss`` (their
/// `valueWithGradient`, the gradient with respect to the first image).
protocol LossWithGradient: ImageComparison {
    func valueWithGradient<Scalar: SSIMScalar>(_ prediction: Tensor<Scalar>, _ target: Tensor<Scalar>) throws -> (
        value: Tensor<Scalar>, gradient: Tensor<Scalar>
    )
}

extension MSSSIMLoss: LossWithGradient {}
extension SSIML1Loss: LossWithGradient {}
