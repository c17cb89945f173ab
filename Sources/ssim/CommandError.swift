import SSIMFormats
import StructuralSimilarity

/// A usage error: the arguments are wrong, not the data (exit status 64).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// Input data the command cannot compare, with a message naming the files (exit status 65).
struct DataError: Error, CustomStringConvertible {
    let description: String
}

/// The exit statuses of the command (BSD `sysexits.h` for usage and data errors).
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 64
    static let invalidData: Int32 = 65
    /// The comparison ran, and a result is below `--min-ssim` or above `--max-loss` (with
    /// folders: at least one pair, and no pair failed).
    static let belowThreshold: Int32 = 3

    /// The status an error ends the command with.
    static func of(_ error: any Error) -> Int32 {
        switch error {
        case is UsageError: return usage
        case FormatError.outputIsInput: return usage
        case FormatError.outputNotWritable, FormatError.encodingFailed: return failure
        case is FormatError, is SSIMError, is DataError: return invalidData
        default: return failure
        }
    }
}
