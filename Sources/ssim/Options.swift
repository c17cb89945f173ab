import Foundation
import StructuralSimilarity

/// Which loss a comparison computes (`--loss`).
enum LossFunction: String, CaseIterable {
    /// The SSIM map and the DSSIM loss (`ssimLoss`).
    case ssim
    /// Kornia's MS-SSIM + L1 loss (`MSSSIMLoss`); no SSIM map.
    case msSSIM = "ms-ssim"
    /// 3D Gaussian splatting's SSIM + L1 loss (`SSIML1Loss.gaussianSplatting`); no SSIM map.
    case gaussianSplatting = "gaussian-splatting"
    /// monodepth2's SSIM + L1 loss (`SSIML1Loss.monodepth2`); no SSIM map.
    case monodepth2

    /// The SSIM + L1 loss of a training codebase (``SSIMSettings/ssimL1()``), if this is one.
    var photometricPreset: SSIML1Loss? {
        switch self {
        case .ssim, .msSSIM: nil
        case .gaussianSplatting: .gaussianSplatting
        case .monodepth2: .monodepth2
        }
    }
}

/// What a comparison measures (`--metric`).
enum Metric: String, CaseIterable {
    /// The SSIM map's mean and a loss (`--loss`).
    case ssim
    /// Wang's multi-scale SSIM (`multiScaleSSIM`), one value per image.
    case msSSIM = "ms-ssim"
}

/// The SSIM options of one comparison, as the library takes them: a convention's preset with
/// the options given on the command line applied over it.
struct SSIMSettings {
    /// `--metric`: the SSIM (and `--loss`), or Wang's multi-scale SSIM.
    var metric = Metric.ssim
    /// `--metric ms-ssim`: the preset (`--convention`) with `--weights`, `--window-size`,
    /// `--sigma`, `--k1`, `--k2` and `--max-value` over it.
    var multiScaleConvention = MultiScaleSSIMConvention.wang
    var multiScale = MultiScaleSSIMOptions.wang
    /// `--min-msssim`: the least MS-SSIM that passes.
    var minimumMSSSIM: Double?
    /// `--loss`: the SSIM loss, or MS-SSIM + L1.
    var loss = LossFunction.ssim
    // MS-SSIM (`--loss ms-ssim`); `--max-value` is its data range, `--k1`, `--k2` its K.
    var sigmas: [Double] = [0.5, 1, 2, 4, 8]
    var alpha = 0.025
    var compensation = 200.0
    /// `--lambda`: 3D Gaussian splatting's `lambda_dssim` (`--loss gaussian-splatting`), if given.
    var lambda: Double?
    /// The named convention (`--convention`, default kornia).
    var convention = SSIMConvention.kornia
    /// `--convention ffmpeg`: FFmpeg's `ssim` filter (videos and still pairs), not a library preset.
    var ffmpeg = false
    /// Everything the library needs: the preset, then the options given.
    var options = SSIMOptions.kornia
    var reduction = Reduction.mean
    /// `--stats`: percentiles, worst window, PSNR and MSE.
    var stats = false
    /// `--min-ssim`: the least mean SSIM that passes.
    var minimumSSIM: Double?
    /// `--max-loss`: the largest loss that passes.
    var maximumLoss: Double?
    /// `--alpha MODE`, `--icc`, `--orientation`: how images are read.
    var images = ImageSettings()
    /// `--mask PATH`: the weights of a masked comparison (see ``MaskFile``): one file for every
    /// pair, or a folder of one mask per pair (folder comparisons).
    var mask: String?
    /// Whether a threshold was given (the result then says whether it passed).
    var hasThresholds: Bool { minimumSSIM != nil || maximumLoss != nil || minimumMSSSIM != nil }

    var windowSize: Int { options.windowSize }
    /// The fixed data range, or `nil` when it is taken from the inputs (torchmetrics).
    var maxValue: Double? { options.maxValue }
    var eps: Double { options.eps }
    var padding: Padding { options.padding }

    /// The SSIM + L1 loss of `--loss gaussian-splatting` or `--loss monodepth2`: the preset (with
    /// `--lambda`), its SSIM options with those given on the command line over them (``options``),
    /// and `--reduction`.
    func ssimL1() throws -> SSIML1Loss {
        guard var criterion = loss.photometricPreset else { preconditionFailure("\(loss.rawValue) is not an SSIM + L1 loss") }
        if let lambda { criterion = try .gaussianSplatting(lambda: lambda) }
        criterion.options = options
        criterion.reduction = reduction
        try criterion.validate()
        return criterion
    }

    /// The MS-SSIM criterion of these settings (data range 1 unless `--max-value` gives one).
    func msssim() throws -> MSSSIMLoss {
        try MSSSIMLoss(
            sigmas: sigmas, dataRange: maxValue ?? 1, k: (options.k1, options.k2), alpha: alpha,
            compensation: compensation, reduction: reduction)
    }
}

/// The parsed command line. Options may come before, between or after the arguments; `--`
/// ends the options; `--name=value` is the same as `--name value`.
struct Options {
    var inputs: [String] = []
    var settings = SSIMSettings()
    var json = false
    /// Where to write the SSIM map, the loss map and the gradient: files when comparing two
    /// files, folders when comparing two folders.
    var outputs = OutputPaths()
    var outputDirectory = "demo-output"
    var help = false
    var version = false
    /// The options that were given, by their long name (`--map`, `--output`, ...).
    var given: Set<String> = []

    /// The options that only apply to comparisons.
    static let comparisonOptions = [
        "--window-size", "--max-value", "--eps", "--padding", "--reduction", "--json", "--map", "--loss-map", "--grad",
        "--convention", "--sigma", "--border", "--k1", "--k2", "--loss", "--sigmas", "--alpha", "--compensation",
        "--min-ssim", "--max-loss", "--stats", "--diff", "--metric", "--weights", "--min-msssim", "--mask", "--components",
        "--exponents", "--regularization-constants", "--lambda",
    ]
    /// The options of the SSIM loss that MS-SSIM has no use for, and those only MS-SSIM takes.
    static let ssimOnlyOptions = [
        "--window-size", "--eps", "--padding", "--map", "--convention", "--sigma", "--border", "--min-ssim", "--stats", "--diff",
        "--mask", "--components", "--exponents", "--regularization-constants",
    ]
    static let msssimOnlyOptions = ["--sigmas", "--alpha", "--compensation"]
    /// The options the SSIM + L1 losses (`--loss gaussian-splatting`, `monodepth2`) have no use
    /// for: the preset replaces the convention, and they give no SSIM map or mean SSIM.
    static let ssimL1Refused = [
        "--convention", "--map", "--min-ssim", "--stats", "--diff", "--mask", "--components", "--sigmas", "--alpha", "--compensation",
    ]
    /// The options Wang's multi-scale SSIM (`--metric ms-ssim`) takes.
    static let multiScaleOptions = [
        "--metric", "--convention", "--weights", "--window-size", "--sigma", "--k1", "--k2", "--max-value", "--min-msssim", "--grad",
        "--json",
    ]

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        var inlineValue: String?
        func value(for option: String) throws -> String {
            if let inline = inlineValue { inlineValue = nil; return inline }
            guard let next = rest.popFirst() else { throw UsageError(description: "\(option) needs a value") }
            return next
        }
        func number<T: LosslessStringConvertible>(_ option: String) throws -> T {
            let text = try value(for: option)
            guard let parsed = T(text) else { throw UsageError(description: "\(option) takes a number, not '\(text)'") }
            return parsed
        }
        func numbers(_ option: String, example: String) throws -> [Double] {
            let text = try value(for: option)
            let parsed = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else {
                throw UsageError(description: "\(option) takes numbers separated by commas such as \(example), not '\(text)'")
            }
            return parsed.map { $0! }
        }
        func choice<T: RawRepresentable & CaseIterable>(_ option: String, _ given: String? = nil) throws -> T where T.RawValue == String {
            let text = try given ?? value(for: option)
            guard let parsed = T(rawValue: text) else {
                let names = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError(description: "\(option) takes one of \(names), not '\(text)'")
            }
            return parsed
        }
        // Options over the convention's preset, applied once all are read.
        var windowSize: Int?, maxValue: Double?, eps: Double?, padding: Padding?
        var sigma: Double?, border: Border?, k1: Double?, k2: Double?, convention: String?, weights: [Double]?
        var grayscale: GrayscaleConversion?, exponents: [Double]?, constants: [Double]?
        while var argument = rest.popFirst() {
            if argument == "--" { inputs += rest; break }
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                inlineValue = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            switch argument {
            case "-h", "--help": help = true
            case "--version": version = true
            case "--json": json = true
            case "--convention": convention = try value(for: argument)
            case "--metric": settings.metric = try choice(argument)
            case "--weights": weights = try numbers(argument, example: "0.0448,0.2856,0.3001")
            case "--min-msssim": settings.minimumMSSSIM = try number(argument)
            case "--window-size": windowSize = try number(argument)
            case "--max-value": maxValue = try number(argument)
            case "--eps": eps = try number(argument)
            case "--padding": padding = try choice(argument)
            case "--sigma": sigma = try number(argument)
            case "--border": border = try choice(argument)
            case "--k1": k1 = try number(argument)
            case "--k2": k2 = try number(argument)
            case "--reduction": settings.reduction = try choice(argument)
            case "--loss": settings.loss = try choice(argument)
            case "--sigmas": settings.sigmas = try numbers(argument, example: "0.5,1,2,4,8")
            case "--alpha":
                let text = try value(for: argument)
                if let handling = try ImageSettings.alphaHandling(text) {
                    settings.images.alpha = handling
                    continue
                }
                guard let weight = Double(text) else {
                    throw UsageError(
                        description: "--alpha takes composite[=COLOR], drop or channel (transparency), or a number "
                            + "(the MS-SSIM weight), not '\(text)'")
                }
                settings.alpha = weight
            case "--icc":
                let text = try value(for: argument)
                guard text == "convert" || text == "ignore" else {
                    throw UsageError(description: "--icc takes convert or ignore, not '\(text)'")
                }
                settings.images.read.convertsColorProfile = text == "convert"
            case "--orientation":
                let text = try value(for: argument)
                guard text == "apply" || text == "ignore" else {
                    throw UsageError(description: "--orientation takes apply or ignore, not '\(text)'")
                }
                settings.images.read.appliesOrientation = text == "apply"
            case "--grayscale":
                let text = try value(for: argument)
                switch text {
                case "matlab": grayscale = .matlabRGB2Gray
                case "bt601": grayscale = .bt601Luma
                case "bt709": grayscale = .bt709Luma
                case "none": grayscale = GrayscaleConversion.none
                default:
                    throw UsageError(
                        description: "--grayscale takes matlab (rgb2gray weights), bt601 or bt709 (the Y of BT.601 or "
                            + "BT.709 YCbCr) or none, not '\(text)'")
                }
            case "--compensation": settings.compensation = try number(argument)
            case "--lambda": settings.lambda = try number(argument)
            case "--exponents": exponents = try numbers(argument, example: "1,1,1")
            case "--regularization-constants": constants = try numbers(argument, example: "0.0001,0.0009,0.00045")
            case "--components": outputs.components = try value(for: argument)
            case "--map": outputs.map = try value(for: argument)
            case "--loss-map": outputs.lossMap = try value(for: argument)
            case "--grad": outputs.gradient = try value(for: argument)
            case "--diff": outputs.diff = try value(for: argument)
            case "--stats": settings.stats = true
            case "--min-ssim": settings.minimumSSIM = try number(argument)
            case "--max-loss": settings.maximumLoss = try number(argument)
            case "--mask": settings.mask = try value(for: argument)
            case "--output": outputDirectory = try value(for: argument)
            default:
                if argument.hasPrefix("-") && argument != "-" {
                    throw UsageError(description: "unknown option '\(argument)'")
                }
                inputs.append(argument)
            }
            if let inline = inlineValue {
                throw UsageError(description: "\(argument) takes no value, not '\(inline)'")
            }
            if argument.hasPrefix("-") { given.insert(argument == "-h" ? "--help" : argument) }
        }
        try validate(windowSize: windowSize, maxValue: maxValue, eps: eps, sigma: sigma, k1: k1, k2: k2)
        if let minimum = settings.minimumSSIM, !minimum.isFinite {
            throw UsageError(description: "--min-ssim takes a finite number such as 0.98, not \(minimum)")
        }
        if let maximum = settings.maximumLoss, maximum.isNaN {
            throw UsageError(description: "--max-loss takes a number such as 0.01, not \(maximum)")
        }
        if let minimum = settings.minimumMSSSIM, !minimum.isFinite {
            throw UsageError(description: "--min-msssim takes a finite number such as 0.98, not \(minimum)")
        }
        if settings.metric == .msSSIM {
            settings.multiScaleConvention = try convention.map { try choice("--convention", $0) } ?? .wang
            var m = settings.multiScaleConvention.options
            if let weights { m.weights = weights }
            if let windowSize { m.windowSize = windowSize }
            if let maxValue { m.dataRange = .value(maxValue) }
            if let sigma {
                if case .gaussianFloat32 = m.window { m.window = .gaussianFloat32(sigma: sigma) } else { m.window = .gaussian(sigma: sigma) }
            }
            if let k1 { m.k1 = k1 }
            if let k2 { m.k2 = k2 }
            do { try m.validate() } catch { throw UsageError(description: "--metric ms-ssim: \(error)") }
            settings.multiScale = m
            if let option = given.sorted().first(where: { !Self.multiScaleOptions.contains($0) && Self.comparisonOptions.contains($0) }) {
                throw UsageError(
                    description: "\(option) does not apply to --metric ms-ssim (Wang's multi-scale SSIM: one value per image, "
                        + "no map; it takes --convention, --weights, --window-size, --sigma, --k1, --k2, --max-value, --min-msssim, --grad)")
            }
            return
        }
        for option in ["--weights", "--min-msssim"] where given.contains(option) {
            throw UsageError(description: "\(option) applies only to --metric ms-ssim (Wang's multi-scale SSIM)")
        }
        if let text = convention {
            if let convention = SSIMConvention(rawValue: text) {
                (settings.convention, settings.ffmpeg) = (convention, false)
            } else if text == "ffmpeg" {
                (settings.convention, settings.ffmpeg) = (.kornia, true)
            } else {
                let names = (SSIMConvention.allCases.map(\.rawValue) + ["ffmpeg"]).joined(separator: ", ")
                throw UsageError(description: "--convention takes one of \(names), not '\(text)'")
            }
        }
        let unmaskable = ["--stats", "--diff", "--components", "--exponents", "--regularization-constants"]
        if settings.mask != nil, let option = unmaskable.first(where: given.contains) ?? (settings.ffmpeg ? "--convention ffmpeg" : nil) {
            throw UsageError(
                description: "\(option) does not take --mask (the masked SSIM gives the weighted mean, the loss, "
                    + "the map and the gradient: --map, --loss-map, --grad)")
        }
        // An SSIM + L1 loss's preset brings its SSIM options, which the options given override.
        var o = settings.loss.photometricPreset?.options ?? settings.convention.options
        if let windowSize { o.windowSize = windowSize }
        if let maxValue { o.dataRange = .value(maxValue) }
        if let eps { o.eps = eps }
        if let padding { o.padding = padding }
        if let sigma { o.sigma = sigma }
        if let border { o.border = border }
        if let k1 { o.k1 = k1 }
        if let k2 { o.k2 = k2 }
        if let grayscale { o.grayscale = grayscale }
        for (option, values, example) in [("--exponents", exponents, "1,0.5,2"), ("--regularization-constants", constants, "0.0001,0.0009,0.0002")] {
            if let values, values.count != 3 {
                throw UsageError(description: "\(option) takes three numbers separated by commas such as \(example), not \(values.count)")
            }
        }
        if let e = exponents { o.exponents = SSIMExponents(alpha: e[0], beta: e[1], gamma: e[2]) }
        if let c = constants { o.regularizationConstants = SSIMRegularizationConstants(c1: c[0], c2: c[1], c3: c[2]) }
        do { try o.validate() } catch { throw UsageError(description: "\(error)") }
        settings.options = o
        try validateLoss()
    }

    /// The options that do not apply to the chosen loss, and MS-SSIM's own values, as usage errors.
    private func validateLoss() throws {
        if settings.loss != .gaussianSplatting, given.contains("--lambda") {
            throw UsageError(description: "--lambda applies only to --loss gaussian-splatting (its lambda_dssim, the weight of 1 - SSIM)")
        }
        switch settings.loss {
        case .gaussianSplatting, .monodepth2:
            if let option = Self.ssimL1Refused.first(where: given.contains) {
                throw UsageError(
                    description: "\(option) does not apply to --loss \(settings.loss.rawValue) (an SSIM + L1 loss: its preset sets "
                        + "the SSIM's options, which --window-size, --sigma, --border, --padding, --eps, --k1, --k2 and --max-value "
                        + "override; it has no SSIM map; use --loss-map for its per-pixel loss and --grad for its gradient)")
            }
            do { _ = try settings.ssimL1() } catch let error as SSIMError {
                throw UsageError(description: "--loss \(settings.loss.rawValue): \(error)")
            }
        case .ssim:
            if let option = Self.msssimOnlyOptions.first(where: given.contains) {
                throw UsageError(description: "\(option) applies only to --loss ms-ssim")
            }
        case .msSSIM:
            if let option = Self.ssimOnlyOptions.first(where: given.contains) {
                throw UsageError(
                    description: "\(option) does not apply to --loss ms-ssim (its window is 2 int(2 sigma) + 1 taps of "
                        + "the last of --sigmas, zero-padded, with no eps, and it has no SSIM map; use --loss-map for its loss map)")
            }
            do { _ = try settings.msssim() } catch let error as SSIMError {
                throw UsageError(description: "--loss ms-ssim: \(error)")
            }
        }
    }

    /// Rejects values the library would reject, as usage errors (they are the arguments' fault,
    /// not the data's).
    private func validate(windowSize: Int?, maxValue: Double?, eps: Double?, sigma: Double?, k1: Double?, k2: Double?) throws {
        if let windowSize, windowSize < 1 || windowSize % 2 == 0 {
            throw UsageError(description: "--window-size must be a positive odd number such as 11, not \(windowSize)")
        }
        if let maxValue, !(maxValue.isFinite && maxValue > 0) {
            throw UsageError(description: "--max-value must be finite and positive (1 for [0, 1] data, 255 for 8-bit), not \(maxValue)")
        }
        if let eps, !(eps.isFinite && eps >= 0) {
            throw UsageError(description: "--eps must be finite and not negative, not \(eps)")
        }
        if let sigma, !(sigma.isFinite && sigma > 0) {
            throw UsageError(description: "--sigma must be finite and positive (the Gaussian window's standard deviation, e.g. 1.5), not \(sigma)")
        }
        for (name, k) in [("--k1", k1), ("--k2", k2)] {
            if let k, !(k.isFinite && k >= 0) {
                throw UsageError(description: "\(name) must be finite and not negative (usually 0.01 and 0.03), not \(k)")
            }
        }
    }
}
