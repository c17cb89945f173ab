import SSIMFormats
import Foundation

/// What comparing two files found: printed as one line for people or one JSON object, by the
/// comparison of two files and by each pair of a comparison of two folders.
struct ComparisonResult {
    var image1: String
    var image2: String
    /// The mean of the SSIM map (NaN for the MS-SSIM + L1 loss, which has none: JSON null); for
    /// `--metric ms-ssim`, Wang's MS-SSIM (the mean over the batch).
    var ssim: Double
    /// The reduced loss; for reduction `none`, the mean of the loss map.
    var loss: Double
    /// The shape compared, `(B, C, H, W)` or `(B, C, D, H, W)`.
    var shape: [Int]
    /// The precision computed in: "float32" or "float64".
    var dtype: String
    var settings: SSIMSettings
    /// `--stats`: the local map's percentiles and worst window, PSNR and MSE.
    var stats: SSIMStatistics? = nil

    /// The version of the JSON objects' layout (`Documentation/ssim-output.schema.json`).
    static let schemaVersion = 1

    /// Whether the result meets `--min-ssim` and `--max-loss` (true when none is given). NaN fails.
    var passed: Bool {
        if let minimum = settings.minimumMSSSIM, !(ssim >= minimum) { return false }
        if let minimum = settings.minimumSSIM, !(ssim >= minimum) { return false }
        if let maximum = settings.maximumLoss, !(loss <= maximum) { return false }
        return true
    }

    /// The thresholds not met, as the line names them: `--min-ssim 0.99`, `--max-loss 0.01`.
    var unmet: [String] {
        var names: [String] = []
        if let minimum = settings.minimumMSSSIM, !(ssim >= minimum) { names.append("--min-msssim \(minimum)") }
        if let minimum = settings.minimumSSIM, !(ssim >= minimum) { names.append("--min-ssim \(minimum)") }
        if let maximum = settings.maximumLoss, !(loss <= maximum) { names.append("--max-loss \(maximum)") }
        return names
    }

    /// The line, then `  below --min-ssim 0.99` when a threshold is not met, then the `--stats` line.
    var text: String {
        var text = line
        if !passed { text += "  BELOW " + unmet.joined(separator: ", ") }
        if let stats {
            let psnr = stats.psnr.isFinite ? Self.format(stats.psnr) + " dB" : "inf"
            text +=
                "\n  stats: min \(Self.format(stats.minimum))  p1 \(Self.format(stats.p1))  p5 \(Self.format(stats.p5))"
                + "  p50 \(Self.format(stats.p50))  worst \(Self.format(stats.worst.ssim)) at x \(stats.worst.x), y \(stats.worst.y)"
                + (shape[0] > 1 ? " of image \(stats.worst.image)" : "")
                + "  PSNR \(psnr)  MSE \(String(format: "%.8g", stats.mse))"
        }
        return text
    }

    /// The JSON object with what the new options add: `stats`, `thresholds` and `passed` when
    /// asked for, and `schemaVersion` last.
    var jsonObject: JSONValue {
        guard case var .object(fields) = json else { return json }
        if let stats {
            fields.append(
                (
                    "stats",
                    .object([
                        ("min", .number(stats.minimum)), ("p1", .number(stats.p1)), ("p5", .number(stats.p5)),
                        ("p50", .number(stats.p50)),
                        (
                            "worst",
                            .object([
                                ("x", .integer(stats.worst.x)), ("y", .integer(stats.worst.y)),
                                ("ssim", .number(stats.worst.ssim)), ("image", .integer(stats.worst.image)),
                            ])
                        ),
                        ("psnr", .number(stats.psnr)), ("mse", .number(stats.mse)),
                    ])
                ))
        }
        if settings.hasThresholds {
            let thresholds: [(String, JSONValue)] =
                settings.metric == .msSSIM
                ? [("minMSSSIM", settings.minimumMSSSIM.map(JSONValue.number) ?? .null)]
                : [
                    ("minSSIM", settings.minimumSSIM.map(JSONValue.number) ?? .null),
                    ("maxLoss", settings.maximumLoss.map(JSONValue.number) ?? .null),
                ]
            fields.append(("thresholds", .object(thresholds)))
            fields.append(("passed", .bool(passed)))
        }
        fields.append(("schemaVersion", .integer(Self.schemaVersion)))
        return .object(fields)
    }

    /// `SSIM 0.91234567  DSSIM loss (mean) 0.04382716  a.png vs b.png`, followed by
    /// `  [scikit-image]` under a convention other than Kornia's.
    var line: String {
        if settings.metric == .msSSIM {
            let convention = settings.multiScaleConvention == .wang ? "" : "  [\(settings.multiScaleConvention.rawValue)]"
            return "MS-SSIM \(Self.format(ssim))  \(image1) vs \(image2)\(convention)"
        }
        if settings.loss == .msSSIM {
            return "MS-SSIM+L1 loss (\(settings.reduction.rawValue)) \(Self.format(loss))  \(image1) vs \(image2)"
        }
        if settings.loss.photometricPreset != nil {
            return "SSIM+L1 loss (\(settings.loss.rawValue), \(settings.reduction.rawValue)) \(Self.format(loss))  \(image1) vs \(image2)"
        }
        let convention = settings.convention == .kornia ? "" : "  [\(settings.convention.rawValue)]"
        return "SSIM \(Self.format(ssim))  DSSIM loss (\(settings.reduction.rawValue)) \(Self.format(loss))  \(image1) vs \(image2)\(convention)"
    }

    /// The JSON object; its keys are public interface. MS-SSIM has the same keys (`ssim` null,
    /// `windowSize` its window, `padding` and `border` "zero", `eps` 0, `convention` "kornia",
    /// `sigma` null) and four more: `lossFunction`, `sigmas`, `alpha`, `compensation`.
    var json: JSONValue {
        if settings.metric == .msSSIM {
            let m = settings.multiScale
            var range = JSONValue.null
            if case let .value(value) = m.dataRange { range = .number(value) }
            return .object([
                ("metric", .string(settings.metric.rawValue)), ("msssim", .number(ssim)),
                ("convention", .string(settings.multiScaleConvention.rawValue)), ("weights", .array(m.weights.map(JSONValue.number))),
                ("shape", .array(shape.map(JSONValue.integer))), ("dtype", .string(dtype)),
                ("windowSize", .integer(m.windowSize)), ("sigma", m.window.sigma.map(JSONValue.number) ?? .null),
                ("k1", .number(m.k1)), ("k2", .number(m.k2)), ("maxValue", range),
                ("image1", .string(image1)), ("image2", .string(image2)),
            ])
        }
        if settings.loss == .msSSIM {
            let window = 2 * Int(2 * settings.sigmas[settings.sigmas.count - 1]) + 1
            return .object([
                ("ssim", .null), ("loss", .number(loss)),
                ("shape", .array(shape.map(JSONValue.integer))), ("dtype", .string(dtype)),
                ("windowSize", .integer(window)), ("padding", .string("zero")),
                ("reduction", .string(settings.reduction.rawValue)), ("maxValue", .number(settings.maxValue ?? 1)),
                ("eps", .number(0)), ("image1", .string(image1)), ("image2", .string(image2)),
                ("convention", .string("kornia")), ("sigma", .null), ("border", .string("zero")),
                ("k1", .number(settings.options.k1)), ("k2", .number(settings.options.k2)),
                ("lossFunction", .string(settings.loss.rawValue)), ("sigmas", .array(settings.sigmas.map(JSONValue.number))),
                ("alpha", .number(settings.alpha)), ("compensation", .number(settings.compensation)),
            ])
        }
        if settings.loss.photometricPreset != nil, let criterion = try? settings.ssimL1() {
            // The SSIM keys (ssim null, convention the loss's name), and the loss's parts.
            guard case let .object(fields) = ssimJSON(ssim: .null, convention: settings.loss.rawValue) else { return .null }
            return .object(
                fields + [
                    ("lossFunction", .string(settings.loss.rawValue)), ("ssimWeight", .number(criterion.ssimWeight)),
                    ("l1Weight", .number(criterion.l1Weight)), ("ssimTerm", .string(criterion.ssimTerm.rawValue)),
                ])
        }
        return ssimJSON(ssim: .number(ssim), convention: settings.convention.rawValue)
    }

    /// The keys of an SSIM comparison.
    private func ssimJSON(ssim: JSONValue, convention: String) -> JSONValue {
        .object([
            ("ssim", ssim), ("loss", .number(loss)),
            ("shape", .array(shape.map(JSONValue.integer))), ("dtype", .string(dtype)),
            ("windowSize", .integer(settings.windowSize)), ("padding", .string(settings.padding.rawValue)),
            ("reduction", .string(settings.reduction.rawValue)), ("maxValue", settings.maxValue.map(JSONValue.number) ?? .null),
            ("eps", .number(settings.eps)), ("image1", .string(image1)), ("image2", .string(image2)),
            ("convention", .string(convention)), ("sigma", settings.options.sigma.map(JSONValue.number) ?? .null),
            ("border", .string(settings.options.border.rawValue)), ("k1", .number(settings.options.k1)),
            ("k2", .number(settings.options.k2)),
        ])
    }

    /// A value with 8 decimals, the way the line shows it.
    static func format(_ value: Double) -> String { String(format: "%.8f", value) }
}
