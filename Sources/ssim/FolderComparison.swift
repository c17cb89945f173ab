import CFreedMemory
import Foundation
import Dispatch

/// Compares the files of the same name in two folders, one pair at a time through
/// ``Comparison``, and goes on after a pair fails.
///
/// Decoding and comparing overlap: while a pair is compared (the kernels on every core), the next
/// pair is decoded on another thread (its two files at once), so that neither waits for the
/// other; at most two pairs are in memory.
///
/// Standard output gets one line (or JSON object) per pair, then the summary; standard error
/// gets a warning for each file without a namesake, an `Error: ...` for each pair that fails,
/// and a progress bar when it is a terminal.
enum FolderComparison {
    /// Returns the exit status: 0, or that of the failed pairs (see ``FolderSummary/exitStatus``).
    static func run(_ folder1: String, _ folder2: String, _ options: Options) throws -> Int32 {
        try options.outputs.prepareFolders(inputs: [folder1, folder2])
        // Pair after pair at the same sizes: the pages freed by one pair serve the next (200 pairs
        // of 512 x 512 PNGs: 55,000 to 75,000 page faults -> 14,000).
        cfm_keep_freed_memory()
        let pairs = try FolderPairs(folder1, folder2)
        for (folder, names) in [(folder1, pairs.onlyInFirst), (folder2, pairs.onlyInSecond)] {
            for name in names { Command.printWarning("'\(name)' is only in '\(folder)'; it is not compared") }
        }
        guard !pairs.names.isEmpty else {
            throw DataError(
                description: "no image or .npy file of '\(folder1)' has a namesake in '\(folder2)'; "
                    + "the files to compare must have the same names")
        }

        var summary = FolderSummary(
            folder1: folder1, folder2: folder2, onlyInFirst: pairs.onlyInFirst, onlyInSecond: pairs.onlyInSecond)
        summary.hasThresholds = options.settings.hasThresholds
        if options.settings.metric == .msSSIM { summary.metricName = "MS-SSIM" }
        let progress = ProgressBar(total: pairs.names.count)
        let paths = pairs.names.map {
            ((folder1 as NSString).appendingPathComponent($0), (folder2 as NSString).appendingPathComponent($0))
        }
        var next = paths.first.map { PairRead($0.0, $0.1, options.settings.images) }
        for (index, name) in pairs.names.enumerated() {
            progress.show(completed: index, current: name)
            let (path1, path2) = paths[index]
            let current = next
            next = index + 1 < paths.count ? PairRead(paths[index + 1].0, paths[index + 1].1, options.settings.images) : nil
            do {
                let inputs = try current?.wait()
                var settings = options.settings
                settings.mask = try settings.mask.map { try MaskFile.path($0, forPairNamed: name) }
                let result = try Comparison.run(path1, path2, settings, outputs: options.outputs.files(forPairNamed: name), inputs: inputs)
                progress.clear()
                print(options.json ? result.jsonObject.text : result.text)
                summary.results.append((name, result))
            } catch {
                progress.clear()
                let failure = FolderSummary.Failure(
                    name: name, image1: path1, image2: path2, message: "\(error)", status: ExitStatus.of(error))
                Command.printError(failure.message)
                if options.json { print(failure.json.text) }
                summary.failures.append(failure)
            }
            fflush(nil)
        }
        progress.clear()
        print(options.json ? summary.json.text : summary.text)
        return summary.exitStatus
    }
}

/// Two files being read on a thread of their own, from the moment it is created.
private final class PairRead: @unchecked Sendable {
    private var result: Result<(InputTensor, InputTensor), any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ path1: String, _ path2: String, _ images: ImageSettings) {
        DispatchQueue.global().async {
            self.result = Result { try InputTensor.reading(path1, path2, images) }
            self.done.signal()
        }
    }

    /// The two tensors, once read, or the error of the first that failed.
    func wait() throws -> (InputTensor, InputTensor) {
        done.wait()
        return try result!.get()
    }
}
