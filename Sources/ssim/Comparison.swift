import Foundation
import SSIMFormats
import StructuralSimilarity

/// Compares two files: reads them, computes the SSIM map, loss and (if asked) gradient, prints
/// the result and writes the requested outputs.
enum Comparison {
    /// An input read as a tensor of either precision.
    enum Input {
        case float(Tensor<Float>)
        case double(Tensor<Double>)
    }

    static func read(_ path: String) throws -> Input {
        if path.lowercased().hasSuffix(".npy") {
            switch try NumPyFile.read(path).array {
            case let .float32(tensor): return .float(tensor)
            case let .float64(tensor): return .double(tensor)
            }
        }
        return .float(try ImageFile.read(path).tensor)
    }

    static func run(_ path1: String, _ path2: String, _ options: Options) throws {
        switch (try read(path1), try read(path2)) {
        case let (.float(a), .float(b)): try compare(a, b, path1, path2, options, dtype: "float32")
        case let (.double(a), .double(b)): try compare(a, b, path1, path2, options, dtype: "float64")
        // A float32 / float64 pair is computed in float64, as Kornia promotes it.
        case let (.float(a), .double(b)): try compare(promote(a), b, path1, path2, options, dtype: "float64")
        case let (.double(a), .float(b)): try compare(a, promote(b), path1, path2, options, dtype: "float64")
        }
    }

    static func promote(_ t: Tensor<Float>) throws -> Tensor<Double> {
        try Tensor(shape: t.shape, scalars: t.scalars.map(Double.init))
    }

    static func compare<Scalar: SSIMScalar>(
        _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ path1: String, _ path2: String, _ o: Options, dtype: String
    ) throws {
        guard x.shape == y.shape else {
            throw SSIMError.invalidArgument("\(path1) has shape \(x.shape) but \(path2) has shape \(y.shape); compare images of the same size")
        }
        let inputs = [path1, path2]
        let maxValue = Scalar(o.maxValue), eps = Scalar(o.eps)
        let map = try ssim(x, y, windowSize: o.windowSize, maxValue: maxValue, eps: eps, padding: o.padding)
        let loss = try ssimLoss(x, y, windowSize: o.windowSize, maxValue: maxValue, eps: eps, reduction: o.reduction, padding: o.padding)
        let meanSSIM = map.scalars.reduce(0.0) { $0 + Double($1) } / Double(map.scalars.count)
        let lossValue = o.reduction == .none
            ? loss.scalars.reduce(0.0) { $0 + Double($1) } / Double(loss.scalars.count) : Double(loss.scalar)

        if let path = o.mapPath {
            if path.hasSuffix(".png") {
                try ImageFile.write(try HeatMap().render(map), to: path, inputs: inputs)
            } else {
                try NumPyFile.write(array(map), to: path, inputs: inputs)
            }
        }
        if let path = o.lossMapPath {
            let lossMap = try ssimLoss(x, y, windowSize: o.windowSize, maxValue: maxValue, eps: eps, reduction: .none, padding: o.padding)
            try NumPyFile.write(array(lossMap), to: path, inputs: inputs)
        }
        if let path = o.gradPath {
            let (_, gradient) = try ssimLossWithGradient(x, y, windowSize: o.windowSize, maxValue: maxValue, eps: eps, reduction: o.reduction, padding: o.padding)
            try NumPyFile.write(array(gradient), to: path, inputs: inputs)
        }

        if o.json {
            let fields: [String] = [
                "\"ssim\": \(json(meanSSIM))", "\"loss\": \(json(lossValue))",
                "\"shape\": [\(x.shape.map(String.init).joined(separator: ", "))]", "\"dtype\": \"\(dtype)\"",
                "\"windowSize\": \(o.windowSize)", "\"padding\": \"\(o.padding.rawValue)\"",
                "\"reduction\": \"\(o.reduction.rawValue)\"", "\"maxValue\": \(json(o.maxValue))",
                "\"image1\": \(quoted(path1))", "\"image2\": \(quoted(path2))",
            ]
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("SSIM \(format(meanSSIM))  DSSIM loss (\(o.reduction.rawValue)) \(format(lossValue))  \(path1) vs \(path2)")
        }
    }

    static func array<Scalar: SSIMScalar>(_ t: Tensor<Scalar>) -> NumPyArray {
        if let float = t as? Tensor<Float> { return .float32(float) }
        return .float64(t as! Tensor<Double>)
    }

    static func format(_ value: Double) -> String { String(format: "%.8f", value) }

    /// A JSON number; NaN and infinities (from NaN pixels) become null.
    static func json(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
