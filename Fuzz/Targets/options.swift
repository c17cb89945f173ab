// libFuzzer target: the `ssim` command's option parser, `Options(_:)` (Sources/ssim/Options.swift,
// compiled into this binary with the files it needs, without main.swift). The input is the
// argument list, arguments separated by NUL bytes.
import StructuralSimilarity

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let arguments = UnsafeBufferPointer(start: data, count: size)
        .split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    let options: Options
    do {
        options = try Options(arguments)
    } catch let error as UsageError {
        fuzzReport("\(arguments): UsageError: \(error)")
        return 0  // a usage error: the documented outcome for bad arguments
    } catch {
        fatalError("Options threw \(type(of: error)), not a UsageError: \(error)")
    }
    // What validate() promises, and no argument invented or lost twice over.
    let settings = options.settings
    fuzzReport("\(arguments): inputs \(options.inputs), given \(options.given.sorted()), \(options.settings)")
    precondition(settings.windowSize >= 1 && settings.windowSize % 2 == 1, "window size \(settings.windowSize)")
    if let maxValue = settings.maxValue {
        precondition(maxValue.isFinite && maxValue > 0, "max value \(maxValue)")
    } else {
        precondition(settings.options.dataRange == .inputSpan, "no max value but \(settings.options.dataRange)")
    }
    precondition(settings.eps.isFinite && settings.eps >= 0, "eps \(settings.eps)")
    if let sigma = settings.options.sigma { precondition(sigma.isFinite && sigma > 0, "sigma \(sigma)") }
    precondition(settings.options.k1 >= 0 && settings.options.k2 >= 0, "k1 \(settings.options.k1), k2 \(settings.options.k2)")
    precondition((try? settings.options.validate()) != nil, "options the library refuses: \(settings.options)")
    precondition(settings.loss == .ssim || (try? settings.msssim()) != nil, "MS-SSIM options the library refuses: \(settings)")
    precondition(options.inputs.count <= arguments.count, "\(options.inputs.count) inputs from \(arguments.count) arguments")
    precondition(options.inputs.allSatisfy(arguments.contains), "an input that is not an argument")
    precondition(options.given.allSatisfy { $0.hasPrefix("-") }, "given option without a dash: \(options.given)")
    if let minimum = settings.minimumSSIM { precondition(minimum.isFinite, "--min-ssim \(minimum)") }
    if let maximum = settings.maximumLoss { precondition(!maximum.isNaN, "--max-loss \(maximum)") }
    precondition(
        settings.loss == .ssim || (settings.minimumSSIM == nil && !settings.stats && options.outputs.diff == nil),
        "--min-ssim, --stats or --diff accepted with --loss ms-ssim")
    return 0
}
