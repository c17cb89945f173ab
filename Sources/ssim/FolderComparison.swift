import Foundation

/// Compares the files of the same name in two folders, one pair at a time through
/// ``Comparison``, and goes on after a pair fails.
///
/// Standard output gets one line (or JSON object) per pair, then the summary; standard error
/// gets a warning for each file without a namesake, an `Error: ...` for each pair that fails,
/// and a progress bar when it is a terminal.
enum FolderComparison {
    /// Returns the exit status: 0, or that of the failed pairs (see ``FolderSummary/exitStatus``).
    static func run(_ folder1: String, _ folder2: String, _ options: Options) throws -> Int32 {
        try options.outputs.prepareFolders(inputs: [folder1, folder2])
        let pairs = try FolderPairs(folder1, folder2)
        for (folder, names) in [(folder1, pairs.onlyInFirst), (folder2, pairs.onlyInSecond)] {
            for name in names { Command.printWarning("'\(name)' is only in '\(folder)'; it is not compared") }
        }
        guard !pairs.names.isEmpty else {
            throw DataError(
                description: "no PNG, JPEG or .npy file of '\(folder1)' has a namesake in '\(folder2)'; "
                    + "the files to compare must have the same names")
        }

        var summary = FolderSummary(
            folder1: folder1, folder2: folder2, onlyInFirst: pairs.onlyInFirst, onlyInSecond: pairs.onlyInSecond)
        summary.hasThresholds = options.settings.hasThresholds
        if options.settings.metric == .msSSIM { summary.metricName = "MS-SSIM" }
        let progress = ProgressBar(total: pairs.names.count)
        for (index, name) in pairs.names.enumerated() {
            progress.show(completed: index, current: name)
            let path1 = (folder1 as NSString).appendingPathComponent(name)
            let path2 = (folder2 as NSString).appendingPathComponent(name)
            do {
                let result = try Comparison.run(path1, path2, options.settings, outputs: options.outputs.files(forPairNamed: name))
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
