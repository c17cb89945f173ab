import SSIMFormats
import StructuralSimilarity

/// What comparing two videos found over all frames: the mean SSIM of each plane and of All,
/// FFmpeg's dB figures of those means, and the distribution of All over the frames.
///
/// Keeps one number per frame (All, for the percentiles); the frames themselves are not kept.
struct VideoSummary {
    var video1: String
    var video2: String
    var header: YUV4MPEGHeader
    /// `ffmpeg`, or the library convention's name.
    var convention: String
    var minimumSSIM: Double?
    private(set) var count = 0
    private(set) var planeSums: [Double]
    private(set) var allSum = 0.0
    private(set) var alls: [Double] = []
    /// The frame of lowest All (NaN counts as the lowest), and its All.
    private(set) var worst: (frame: Int, all: Double)?

    init(video1: String, video2: String, header: YUV4MPEGHeader, convention: String, minimumSSIM: Double?) {
        self.video1 = video1
        self.video2 = video2
        self.header = header
        self.convention = convention
        self.minimumSSIM = minimumSSIM
        planeSums = Array(repeating: 0, count: header.planes.count)
    }

    mutating func add(_ frame: FrameSSIM) {
        count += 1
        for i in planeSums.indices { planeSums[i] += frame.planes[i] }
        allSum += frame.all
        alls.append(frame.all)
        let key = frame.all.isNaN ? -Double.infinity : frame.all
        if worst.map({ key < ($0.all.isNaN ? -.infinity : $0.all) }) ?? true { worst = (frame.number, frame.all) }
    }

    var meanPlanes: [Double] { planeSums.map { $0 / Double(count) } }
    var meanAll: Double { allSum / Double(count) }
    /// FFmpeg's summary figure: `10 log10(n / (n - sum))` of each plane, then of All.
    var decibels: [Double] { (planeSums + [allSum]).map { FFmpegSSIM.decibels($0, weight: Double(count)) } }

    /// The `p`-th percentile of All over the frames.
    func percentile(_ p: Double) -> Double { SSIMStatistics.percentile(alls.sorted(), p) }

    /// Whether the mean All meets `--min-ssim` (true when none is given).
    var passed: Bool { minimumSSIM.map { meanAll >= $0 } ?? true }

    /// Two lines: the means, then the distribution of All.
    var text: String {
        let names = FrameSSIM.names(planeCount: planeSums.count)
        let means = zip(names, meanPlanes).map { "\($0) \(ComparisonResult.format($1))" }.joined(separator: "  ")
        let tag = convention == SSIMConvention.kornia.rawValue ? "" : "  [\(convention)]"
        var first =
            "\(FolderSummary.count(count, "frame"))  \(means)  All \(ComparisonResult.format(meanAll))  "
            + "(\(FrameSSIM.formatDecibels(decibels[decibels.count - 1])))  \(video1) vs \(video2)\(tag)"
        if let minimumSSIM, !passed { first += "  BELOW --min-ssim \(minimumSSIM)" }
        let worstText = worst.map { "  worst frame \($0.frame) (All \(ComparisonResult.format($0.all)))" } ?? ""
        let second =
            "  All over the frames: min \(ComparisonResult.format(worst?.all ?? .nan))  p1 \(ComparisonResult.format(percentile(1)))"
            + "  p5 \(ComparisonResult.format(percentile(5)))  p50 \(ComparisonResult.format(percentile(50)))\(worstText)"
        return first + "\n" + second
    }

    /// `{"videoSummary": {...}, "schemaVersion": 1}`.
    var json: JSONValue {
        let names = FrameSSIM.names(planeCount: planeSums.count) + ["All"]
        var fields: [(String, JSONValue)] = [
            ("video1", .string(video1)), ("video2", .string(video2)), ("convention", .string(convention)),
            ("frames", .integer(count)), ("width", .integer(header.width)), ("height", .integer(header.height)),
            ("chroma", .string(header.chroma.rawValue)), ("bitDepth", .integer(header.bitDepth)),
            ("mean", .object(zip(names, meanPlanes + [meanAll]).map { ($0, .number($1)) })),
            ("meanDB", .object(zip(names, decibels).map { ($0, .number($1)) })),
            ("min", .number(worst?.all ?? .nan)), ("p1", .number(percentile(1))), ("p5", .number(percentile(5))),
            ("p50", .number(percentile(50))),
            ("worst", worst.map { .object([("frame", .integer($0.frame)), ("All", .number($0.all))]) } ?? .null),
        ]
        if let minimumSSIM {
            fields += [("thresholds", .object([("minSSIM", .number(minimumSSIM))])), ("passed", .bool(passed))]
        }
        return .object([("videoSummary", .object(fields)), ("schemaVersion", .integer(ComparisonResult.schemaVersion))])
    }
}
