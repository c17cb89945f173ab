import SSIMFormats
import Foundation

/// What comparing two files found: printed as one line for people or one JSON object, by the
/// comparison of two files and by each pair of a comparison of two folders.
struct ComparisonResult {
    var image1: String
    var image2: String
    /// The mean of the SSIM map (NaN for MS-SSIM, which has none: JSON null).
    var ssim: Double
    /// The reduced loss; for reduction `none`, the mean of the loss map.
    var loss: Double
    /// The shape compared, `(B, C, H, W)` or `(B, C, D, H, W)`.
    var shape: [Int]
    /// The precision computed in: "float32" or "float64".
    var dtype: String
    var settings: SSIMSettings

    /// `SSIM 0.91234567  DSSIM loss (mean) 0.04382716  a.png vs b.png`, followed by
    /// `  [scikit-image]` under a convention other than Kornia's.
    var line: String {
        if settings.loss == .msSSIM {
            return "MS-SSIM+L1 loss (\(settings.reduction.rawValue)) \(Self.format(loss))  \(image1) vs \(image2)"
        }
        let convention = settings.convention == .kornia ? "" : "  [\(settings.convention.rawValue)]"
        return "SSIM \(Self.format(ssim))  DSSIM loss (\(settings.reduction.rawValue)) \(Self.format(loss))  \(image1) vs \(image2)\(convention)"
    }

    /// The JSON object; its keys are public interface. MS-SSIM has the same keys (`ssim` null,
    /// `windowSize` its window, `padding` and `border` "zero", `eps` 0, `convention` "kornia",
    /// `sigma` null) and four more: `lossFunction`, `sigmas`, `alpha`, `compensation`.
    var json: JSONValue {
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
        return .object([
            ("ssim", .number(ssim)), ("loss", .number(loss)),
            ("shape", .array(shape.map(JSONValue.integer))), ("dtype", .string(dtype)),
            ("windowSize", .integer(settings.windowSize)), ("padding", .string(settings.padding.rawValue)),
            ("reduction", .string(settings.reduction.rawValue)), ("maxValue", settings.maxValue.map(JSONValue.number) ?? .null),
            ("eps", .number(settings.eps)), ("image1", .string(image1)), ("image2", .string(image2)),
            ("convention", .string(settings.convention.rawValue)), ("sigma", settings.options.sigma.map(JSONValue.number) ?? .null),
            ("border", .string(settings.options.border.rawValue)), ("k1", .number(settings.options.k1)),
            ("k2", .number(settings.options.k2)),
        ])
    }

    /// A value with 8 decimals, the way the line shows it.
    static func format(_ value: Double) -> String { String(format: "%.8f", value) }
}
