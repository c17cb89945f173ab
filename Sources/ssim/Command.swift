import Foundation
import SSIMFormats
import StructuralSimilarity

/// Runs the command and turns every error into `Error: ...` on standard error and an exit status.
enum Command {
    static func main(_ arguments: [String]) -> Int32 {
        do {
            let options = try Options(arguments)
            if options.help { print(Usage.text); return 0 }
            if options.version { print("ssim \(Usage.version)"); return 0 }
            if options.inputs.first == "demo" {
                guard options.inputs.count == 1 else { throw UsageError(description: "demo takes no file arguments; use --output DIR") }
                try Demo.run(outputDirectory: options.outputDirectory)
                return 0
            }
            guard options.inputs.count == 2 else {
                throw UsageError(description: "expected two files to compare, got \(options.inputs.count)")
            }
            try Comparison.run(options.inputs[0], options.inputs[1], options)
            return 0
        } catch let error as UsageError {
            printError("\(error)\nUsage: ssim IMAGE1 IMAGE2 [options]  (see 'ssim --help')")
            return 64
        } catch let error as FormatError {
            printError("\(error)")
            return 65
        } catch let error as SSIMError {
            printError("\(error)")
            return 65
        } catch {
            printError("\(error)")
            return 1
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
    }
}
