import Dispatch
import Foundation
import SSIMFormats
import StructuralSimilarity

/// Compares two YUV4MPEG2 videos frame by frame: one line (or JSON object) per frame in order,
/// then the summary (``VideoSummary``).
///
/// The frames are read a few at a time, as many pairs as twice the cores, compared in parallel
/// and printed in order before the next are read: memory holds those frames only, whatever the
/// length of the videos. An error in a file (a truncated frame, one video longer than the
/// other) comes after the lines of the frames before it.
enum VideoComparison {
    /// Whether `path` names a video: a `.y4m` file.
    static func isVideo(_ path: String) -> Bool { path.lowercased().hasSuffix(".y4m") }

    /// The options a video comparison takes (with `--convention ffmpeg`: `--json` and `--min-ssim` only).
    static let videoOptions = [
        "--json", "--min-ssim", "--convention", "--window-size", "--sigma", "--border", "--k1", "--k2", "--max-value",
        "--eps", "--padding",
    ]

    /// Compares the videos and prints the results; returns the exit status (3 when the mean
    /// All is below `--min-ssim`).
    static func run(_ path1: String, _ path2: String, _ options: Options) throws -> Int32 {
        let allowed = options.settings.ffmpeg ? ["--json", "--min-ssim", "--convention"] : videoOptions
        if let option = Options.comparisonOptions.first(where: { options.given.contains($0) && !allowed.contains($0) }) {
            let reason =
                options.settings.ffmpeg
                ? "FFmpeg's SSIM has fixed 8 x 8 windows and constants (--convention ffmpeg takes only --json and --min-ssim)"
                : "a video comparison prints the SSIM of each frame's planes (it takes \(videoOptions.joined(separator: ", ")))"
            throw UsageError(description: "\(option) does not apply to videos: \(reason)")
        }
        let first = try YUV4MPEGReader(path: path1), second = try YUV4MPEGReader(path: path2)
        let header = first.header
        guard header.width == second.header.width, header.height == second.header.height, header.chroma == second.header.chroma,
            header.bitDepth == second.header.bitDepth
        else {
            throw DataError(
                description: "'\(path1)' is \(header.summary) but '\(path2)' is \(second.header.summary); "
                    + "compare videos of the same size, chroma and bit depth (convert one with ffmpeg -i IN -s WxH -pix_fmt FORMAT OUT.y4m)")
        }
        if options.settings.ffmpeg, let small = header.planes.first(where: { min($0.width, $0.height) < FFmpegSSIM.smallestPlane }) {
            throw DataError(
                description: "'\(path1)' is \(header.summary): a plane of \(small.width) x \(small.height) is smaller than "
                    + "the 8 x 8 window of --convention ffmpeg (FFmpeg prints nan for it); compare larger videos")
        }
        let convention = options.settings.ffmpeg ? "ffmpeg" : options.settings.convention.rawValue
        var summary = VideoSummary(
            video1: path1, video2: path2, header: header, convention: convention, minimumSSIM: options.settings.minimumSSIM)
        let batch = 2 * max(1, ProcessInfo.processInfo.activeProcessorCount)
        var finished = false
        while !finished {
            var pairs: [(YUVFrame, YUVFrame)] = []
            var failure: (any Error)?
            do {
                while pairs.count < batch {
                    switch (try first.nextFrame(), try second.nextFrame()) {
                    case let (a?, b?): pairs.append((a, b))
                    case (nil, nil): finished = true
                    case (nil, _?): throw lengthMismatch(short: first, long: second, frames: summary.count + pairs.count)
                    case (_?, nil): throw lengthMismatch(short: second, long: first, frames: summary.count + pairs.count)
                    }
                    if finished { break }
                }
            } catch {
                failure = error
            }
            for result in compare(pairs, options.settings) {
                let frame = try result.get()
                print(options.json ? frame.json.text : frame.text)
                summary.add(frame)
            }
            if let failure { throw failure }
        }
        guard summary.count > 0 else {
            throw DataError(description: "'\(path1)' and '\(path2)' hold no frame; there is nothing to compare")
        }
        print(options.json ? summary.json.text : summary.text)
        return summary.passed ? ExitStatus.success : ExitStatus.belowThreshold
    }

    /// The pairs compared in parallel, in order.
    static func compare(_ pairs: [(YUVFrame, YUVFrame)], _ settings: SSIMSettings) -> [Result<FrameSSIM, any Error>] {
        final class Results: @unchecked Sendable {
            var values: [Result<FrameSSIM, any Error>?]
            init(_ count: Int) { values = Array(repeating: nil, count: count) }
        }
        let results = Results(pairs.count)
        DispatchQueue.concurrentPerform(iterations: pairs.count) { i in
            let value = Result { try FrameSSIM.compare(pairs[i].0, pairs[i].1, settings) }
            results.values[i] = value
        }
        return results.values.map { $0! }
    }

    /// The error for a video that ends first, with the other's length when it can be read.
    static func lengthMismatch(short: YUV4MPEGReader, long: YUV4MPEGReader, frames: Int) -> DataError {
        var total = frames + 1, more = ""
        do {
            while try long.nextFrame() != nil { total += 1 }
        } catch {
            more = " or more (then: \(error))"
        }
        return DataError(
            description: "'\(short.name)' has \(FolderSummary.count(frames, "frame")) but '\(long.name)' has \(total)\(more); "
                + "compare videos of the same length (cut the longer: ffmpeg -i IN -frames:v \(frames) OUT.y4m)")
    }
}
