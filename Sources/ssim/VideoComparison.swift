import Dispatch
import Foundation
import SSIMFormats
import StructuralSimilarity

/// Compares two YUV4MPEG2 videos frame by frame: one line (or JSON object) per frame in order,
/// then the summary (``VideoSummary``).
///
/// The frames are read a few at a time, as many pairs as twice the cores; each batch is compared
/// in parallel while the next is read, and printed in order: memory holds two batches of frames,
/// whatever the length of the videos. An error in a file (a truncated frame, one video longer than the
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
        var frames = 0
        // The bytes of the frames of the batch before, read into again (no fresh memory per frame).
        var spare: [[[UInt8]]] = [[], []]
        /// The next pairs (at most `batch`), whether both videos ended, and the error that stopped
        /// the reading. The two files are read at once, each on its own thread.
        func read() -> (pairs: [(YUVFrame, YUVFrame)], finished: Bool, failure: (any Error)?) {
            // One object per file, each touched by one thread only.
            let sides = [Side(first, spare: spare[0]), Side(second, spare: spare[1])]
            spare = [[], []]
            DispatchQueue.concurrentPerform(iterations: 2) { sides[$0].read(batch) }
            let (a, b) = (sides[0], sides[1])
            let pairs = Array(zip(a.frames, b.frames))
            if let failure = a.failure ?? b.failure { return (pairs, true, failure) }
            if a.frames.count < b.frames.count {
                return (pairs, true, lengthMismatch(short: first, long: second, frames: frames + pairs.count, extra: b.frames.count - pairs.count))
            }
            if b.frames.count < a.frames.count {
                return (pairs, true, lengthMismatch(short: second, long: first, frames: frames + pairs.count, extra: a.frames.count - pairs.count))
            }
            frames += pairs.count
            return (pairs, a.ended, nil)
        }
        // While one batch is compared (on every core), the next is read.
        var next = read()
        while true {
            let current = next
            let results = Pending()
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { [settings = options.settings] in
                results.values = compare(current.pairs, settings)
            }
            if !current.finished { next = read() }
            group.wait()
            for result in results.values {
                let frame = try result.get()
                print(options.json ? frame.json.text : frame.text)
                summary.add(frame)
            }
            if let failure = current.failure { throw failure }
            if current.finished { break }
            // (Held by `spare` alone once `current` is replaced, at the top of the loop.)
            spare = [current.pairs.map(\.0.bytes), current.pairs.map(\.1.bytes)]
        }
        guard summary.count > 0 else {
            throw DataError(description: "'\(path1)' and '\(path2)' hold no frame; there is nothing to compare")
        }
        print(options.json ? summary.json.text : summary.text)
        return summary.passed ? ExitStatus.success : ExitStatus.belowThreshold
    }

    /// The frames of a batch read from one file, whether it ended, and the error that stopped
    /// it: used by one thread at a time (the reading one, then the caller).
    final class Side: @unchecked Sendable {
        let reader: YUV4MPEGReader
        /// Bytes to read frames into.
        var spare: [[UInt8]]
        var frames: [YUVFrame] = []
        var ended = false
        var failure: (any Error)?

        init(_ reader: YUV4MPEGReader, spare: [[UInt8]]) { (self.reader, self.spare) = (reader, spare) }

        /// Reads up to `count` frames.
        func read(_ count: Int) {
            do {
                while frames.count < count {
                    guard let frame = try reader.nextFrame(reusing: spare.popLast()) else { ended = true; return }
                    frames.append(frame)
                }
            } catch {
                failure = error
            }
        }
    }

    /// The results of a batch, filled by the queue that compares it.
    final class Pending: @unchecked Sendable {
        var values: [Result<FrameSSIM, any Error>] = []
    }

    /// The pairs compared in parallel, in order.
    static func compare(_ pairs: [(YUVFrame, YUVFrame)], _ settings: SSIMSettings) -> [Result<FrameSSIM, any Error>] {
        // Each thread writes its own element of a buffer allocated before (an Array would be
        // written to as a whole: a data race).
        final class Results: @unchecked Sendable {
            let values: UnsafeMutableBufferPointer<Result<FrameSSIM, any Error>?>
            init(_ count: Int) { values = .allocate(capacity: count); values.initialize(repeating: nil) }
            deinit { values.deinitialize().deallocate() }
        }
        let results = Results(pairs.count)
        DispatchQueue.concurrentPerform(iterations: pairs.count) { i in
            results.values[i] = Result { try FrameSSIM.compare(pairs[i].0, pairs[i].1, settings) }
        }
        return results.values.map { $0! }
    }

    /// The error for a video that ends first, with the other's length when it can be read.
    static func lengthMismatch(short: YUV4MPEGReader, long: YUV4MPEGReader, frames: Int, extra: Int) -> DataError {
        var total = frames + extra, more = ""
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
