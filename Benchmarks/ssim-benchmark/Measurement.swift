import Foundation
import StructuralSimilarity
import SSIMTestSupport

/// The timings of one case.
struct Measurement: Sendable {
    let benchmarkCase: BenchmarkCase
    /// Milliseconds of every timed run, in the order they ran (the warm-up excluded).
    let runsMilliseconds: [Double]
    let warmUpMilliseconds: Double
    /// The process's peak resident set size after the case (VmHWM), in bytes; nil where
    /// /proc/self/status is missing.
    let peakResidentBytes: Int?
    /// Why the case ran fewer times than the policy asks, if it did.
    let note: String?
    /// The loss (or first map value), printed so the work cannot be optimised away.
    let check: Double
    /// The share of the machine's CPU time (all cores) that other processes took while the timed
    /// runs ran, in percent; nil where /proc/stat is missing. Timings are trustworthy only when
    /// it is near 0.
    let otherProcessesPercent: Double?

    var median: Double {
        let sorted = runsMilliseconds.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    var minimum: Double { runsMilliseconds.min()! }

    /// Input pixels (B C H W) per second at the median time, in millions.
    var megapixelsPerSecond: Double { Double(benchmarkCase.pixelCount) / (median / 1000) / 1e6 }
}

/// How many times a case is run.
struct RepetitionPolicy: Sendable {
    /// Keep running until the timed runs add up to this many seconds...
    var minimumSeconds = 2.0
    /// ...and at least this many runs.
    var minimumRuns = 3
    /// Never more than this many runs.
    var maximumRuns = 1000
    /// A case whose warm-up plus `minimumRuns` runs would exceed this many seconds runs once
    /// after its warm-up.
    var slowCaseSeconds = 60.0
}

/// The peak resident set size of this process so far (`VmHWM` in /proc/self/status), in bytes.
func peakResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        // "VmHWM:	  123456 kB"
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
        return kilobytes * 1024
    }
    return nil
}

/// The CPU seconds the whole machine has been busy (/proc/stat) and this process has used
/// (getrusage), to tell how much other processes took while a case ran.
struct CPUSample {
    let machineBusy: Double
    let own: Double

    init?() {
        #if os(Windows)
        return nil  // no /proc/stat, sysconf or getrusage (unverified: no Windows Swift here)
        #else
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let first = stat.split(separator: "\n").first
        else { return nil }
        // "cpu user nice system idle iowait irq softirq steal ...": busy is all but idle and iowait.
        let fields = first.split(separator: " ").dropFirst().prefix(8).compactMap { Double($0) }
        guard fields.count == 8 else { return nil }
        machineBusy = (fields.reduce(0, +) - fields[3] - fields[4]) / Double(sysconf(Int32(_SC_CLK_TCK)))
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)  // glibc declares RUSAGE_SELF in an enum
        #else
        getrusage(RUSAGE_SELF, &usage)  // a plain Int32 macro on Darwin, musl, Bionic
        #endif
        own =
            Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
        #endif
    }

    /// Other processes' share of all cores' time between `start` and now, in percent.
    static func otherProcessesPercent(since start: CPUSample?, wallSeconds: Double) -> Double? {
        guard let start, let end = CPUSample(), wallSeconds > 0 else { return nil }
        let others = max((end.machineBusy - start.machineBusy) - (end.own - start.own), 0)
        return 100 * others / (wallSeconds * Double(ProcessInfo.processInfo.activeProcessorCount))
    }
}

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e3 + Double(attoseconds) * 1e-15
}

/// Builds the case's images, runs it once to warm up, then times it as `policy` says.
func measure(_ benchmarkCase: BenchmarkCase, policy: RepetitionPolicy) throws -> Measurement {
    switch benchmarkCase.scalarType {
    case .float: return try measure(benchmarkCase, Float.self, policy: policy)
    case .double: return try measure(benchmarkCase, Double.self, policy: policy)
    }
}

private func measure<Scalar: SSIMScalar>(
    _ benchmarkCase: BenchmarkCase, _: Scalar.Type, policy: RepetitionPolicy
) throws -> Measurement {
    let x: Tensor<Scalar> = randomTensor(benchmarkCase.shape, seed: 1)
    let y: Tensor<Scalar> = randomTensor(benchmarkCase.shape, seed: 2)
    let window = benchmarkCase.windowSize, padding = benchmarkCase.padding
    // Each run drops its result before the next starts, so at most one result is alive.
    let body: () throws -> Double
    let volumes = benchmarkCase.shape.count == 5
    if benchmarkCase.masked {
        let weights: Tensor<Scalar> = BenchmarkCase.maskWeights(benchmarkCase.shape)
        switch benchmarkCase.operation {
        case .lossWithGradient:
            body = {
                let (value, gradient) = try ssimLossWithGradient(x, y, options: .kornia, weights: weights)
                return withExtendedLifetime(gradient) { Double(value.scalar) }
            }
        default:
            body = { Double(try ssimLoss(x, y, options: .kornia, weights: weights).scalar) }
        }
    } else if let convention = benchmarkCase.multiScaleConvention {
        let options = convention.options
        switch benchmarkCase.operation {
        case .multiScaleSSIMLossWithGradient:
            body = {
                let (value, gradient) = try multiScaleSSIMLossWithGradient(x, y, options: options)
                return withExtendedLifetime(gradient) { Double(value.scalar) }
            }
        default:
            body = { Double(try multiScaleSSIM(x, y, options: options).scalars[0]) }
        }
    } else if let convention = benchmarkCase.convention {
        let options = convention.options
        switch benchmarkCase.operation {
        case .map:
            body = { Double(try ssim(x, y, options: options).scalars[0]) }
        case .loss:
            body = { Double(try ssimLoss(x, y, options: options).scalar) }
        case .lossWithGradient:
            body = {
                let (value, gradient) = try ssimLossWithGradient(x, y, options: options)
                return withExtendedLifetime(gradient) { Double(value.scalar) }
            }
        case .msssimLoss, .msssimLossWithGradient, .msssimExactLoss, .multiScaleSSIM, .multiScaleSSIMLossWithGradient, .photometricLoss,
            .photometricLossWithGradient, .photometricSSIMPartWithGradient:
            preconditionFailure("the case table gives MS-SSIM and SSIM + L1 cases no SSIM convention")
        }
    } else {
        switch benchmarkCase.operation {
        case .map where volumes:
            body = { Double(try ssim3D(x, y, windowSize: window, padding: padding).scalars[0]) }
        case .loss where volumes:
            body = { Double(try ssim3DLoss(x, y, windowSize: window, padding: padding).scalar) }
        case .lossWithGradient where volumes:
            body = {
                let (value, gradient) = try ssim3DLossWithGradient(x, y, windowSize: window, padding: padding)
                return withExtendedLifetime(gradient) { Double(value.scalar) }
            }
        case .map:
            body = { Double(try ssim(x, y, windowSize: window, padding: padding).scalars[0]) }
        case .loss:
            body = { Double(try ssimLoss(x, y, windowSize: window, padding: padding).scalar) }
        case .lossWithGradient:
            body = {
                let (value, gradient) = try ssimLossWithGradient(x, y, windowSize: window, padding: padding)
                return withExtendedLifetime(gradient) { Double(value.scalar) }
            }
        case .msssimLoss:
            let criterion = try MSSSIMLoss()
            body = { Double(try criterion(x, y).scalar) }
        case .msssimExactLoss:
            let criterion = try MSSSIMLoss(masks: .exact)
            body = { Double(try criterion(x, y).scalar) }
        case .msssimLossWithGradient:
            let criterion = try MSSSIMLoss()
            body = {
                let (value, gradient) = try criterion.valueWithGradient(x, y)
                return withExtendedLifetime(gradient) { Double(value.scalar) }
            }
        case .photometricLoss:
            let criterion = SSIML1Loss.gaussianSplatting
            body = { Double(try criterion(x, y).scalar) }
        case .photometricLossWithGradient:
            let criterion = SSIML1Loss.gaussianSplatting
            body = {
                let (value, gradient) = try criterion.valueWithGradient(x, y)
                return withExtendedLifetime(gradient) { Double(value.scalar) }
            }
        case .photometricSSIMPartWithGradient:
            let options = SSIML1Loss.gaussianSplatting.options
            body = {
                let (value, gradient) = try ssimLossWithGradient(x, y, options: options)
                return withExtendedLifetime(gradient) { Double(value.scalar) }
            }
        case .multiScaleSSIM, .multiScaleSSIMLossWithGradient:
            preconditionFailure("the case table gives Wang's MS-SSIM cases a convention")
        }
    }

    let clock = ContinuousClock()
    var check = 0.0
    let warmUp = milliseconds(try clock.measure { check = try body() })

    var runs: [Double] = []
    var note: String? = nil
    let cpuStart = CPUSample(), wallStart = clock.now
    let projectedSeconds = warmUp / 1000 * Double(1 + policy.minimumRuns)
    if projectedSeconds > policy.slowCaseSeconds {
        note = String(format: "1 run only: warm-up took %.1f s", warmUp / 1000)
        runs.append(milliseconds(try clock.measure { check = try body() }))
    } else {
        var total = 0.0
        while runs.count < policy.maximumRuns
            && (runs.count < policy.minimumRuns || total < policy.minimumSeconds * 1000)
        {
            let elapsed = milliseconds(try clock.measure { check = try body() })
            runs.append(elapsed)
            total += elapsed
        }
    }
    let others = CPUSample.otherProcessesPercent(since: cpuStart, wallSeconds: milliseconds(clock.now - wallStart) / 1000)
    return Measurement(
        benchmarkCase: benchmarkCase, runsMilliseconds: runs, warmUpMilliseconds: warmUp,
        peakResidentBytes: peakResidentBytes(), note: note, check: check, otherProcessesPercent: others)
}
