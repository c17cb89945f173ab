import Foundation

/// Runs the command and turns every error into `Error: ...` on standard error and an exit status.
enum Command {
    static func main(_ arguments: [String]) -> Int32 {
        do {
            let options = try Options(arguments)
            if options.help { print(Usage.text); return ExitStatus.success }
            if options.version { print("ssim \(Usage.version)"); return ExitStatus.success }
            if options.inputs.first == "demo" {
                try runDemo(options)
                return ExitStatus.success
            }
            guard !options.given.contains("--output") else {
                throw UsageError(description: "--output is for 'ssim demo'; use --map, --loss-map and --grad when comparing")
            }
            guard options.inputs.count == 2 else {
                throw UsageError(description: "expected two files or two folders to compare, got \(options.inputs.count) arguments")
            }
            let (first, second) = (options.inputs[0], options.inputs[1])
            switch (isFolder(first), isFolder(second)) {
            case (true, true):
                guard !options.settings.ffmpeg else {
                    throw UsageError(description: "--convention ffmpeg compares two YUV4MPEG2 videos (.y4m), not folders")
                }
                guard options.settings.loss == .ssim else {
                    throw UsageError(
                        description: "--loss \(options.settings.loss.rawValue) compares two files; folders are compared with the SSIM loss only")
                }
                return try FolderComparison.run(first, second, options)
            case (false, false) where VideoComparison.isVideo(first) || VideoComparison.isVideo(second):
                guard VideoComparison.isVideo(first) && VideoComparison.isVideo(second) else {
                    throw UsageError(
                        description: "'\(VideoComparison.isVideo(first) ? first : second)' is a video (.y4m) but the other is not; compare two videos")
                }
                return try VideoComparison.run(first, second, options)
            case (false, false):
                if options.settings.ffmpeg {
                    print(try StillComparison.run(first, second, options))
                    return ExitStatus.success
                }
                if let mask = options.settings.mask, isFolder(mask) {
                    throw UsageError(description: "--mask '\(mask)' is a folder: a folder of masks (one per pair) is for comparing folders; give a mask file")
                }
                try options.outputs.checkFiles(
                    inputs: options.inputs + (options.settings.mask.map { [$0] } ?? []), lossMapHeatMap: options.settings.loss == .msSSIM)
                let result = try Comparison.run(first, second, options.settings, outputs: options.outputs)
                print(options.json ? result.jsonObject.text : result.text)
                return result.passed ? ExitStatus.success : ExitStatus.belowThreshold
            case let (firstIsFolder, _):
                let (folder, other) = firstIsFolder ? (first, second) : (second, first)
                guard FileManager.default.fileExists(atPath: other) else {
                    throw DataError(description: "'\(other)' does not exist; check the path and the working directory")
                }
                throw UsageError(description: "'\(folder)' is a folder but '\(other)' is not; compare two files or two folders")
            }
        } catch {
            let status = ExitStatus.of(error)
            printError(status == ExitStatus.usage ? "\(error)\n\(Usage.hint)" : "\(error)")
            return status
        }
    }

    static func runDemo(_ options: Options) throws {
        guard options.inputs.count == 1 else {
            throw UsageError(description: "demo takes no file arguments; use --output DIR")
        }
        if let option = Options.comparisonOptions.first(where: options.given.contains) {
            throw UsageError(description: "\(option) is for comparisons; 'ssim demo' takes only --output DIR")
        }
        try Demo.run(outputDirectory: options.outputDirectory)
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func printError(_ message: String) {
        fflush(nil)
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
    }

    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("Warning: \(message)\n".utf8))
    }
}
