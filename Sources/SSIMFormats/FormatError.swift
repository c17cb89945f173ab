/// The errors thrown when a file cannot be read or written. Each message names the file, says
/// what is wrong with it and what to do.
///
/// No input bytes make this module trap: anything a file can contain ends in one of these cases.
///
/// ```swift
/// do { _ = try ImageFile.read("photo.png") }
/// catch let error as FormatError { print(error) }   // "'photo.png' does not exist; ..."
/// ```
public enum FormatError: Error, Equatable, Sendable {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The path exists but cannot be read (a directory, no permission, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// The content of a file is none of the formats of ``FileFormat``.
    case unrecognizedFormat(path: String)
    /// A file whose content is of another format than its extension says (a `.npy` array named
    /// `.png`, say), read where that extension's format was expected.
    case contentMismatch(path: String, content: FileFormat)
    /// An image its library rejects: corrupt or truncated. The message is the library's.
    case corruptImage(path: String, format: FileFormat, message: String)
    /// A valid image of a kind this module does not read (a signed-integer TIFF, say). The
    /// message says which kind.
    case unsupportedImage(path: String, format: FileFormat, message: String)
    /// An embedded ICC profile that LittleCMS cannot read or convert to sRGB.
    case colorProfileFailed(path: String, format: FileFormat, message: String)
    /// An image with more pixels than the reader was allowed to decode.
    case imageTooLarge(path: String, width: Int, height: Int, limit: Int)
    /// A `.npy` file whose preamble or header is malformed.
    case corruptNumPy(path: String, reason: String)
    /// A `.npy` file shorter than its header says it is.
    case truncatedNumPy(path: String, expectedBytes: Int, actualBytes: Int)
    /// A `.npy` element type other than float32, float64 and uint8.
    case unsupportedNumPyDType(path: String, dtype: String)
    /// A `.npy` array whose rank is not 2 to 5.
    case unsupportedNumPyRank(path: String, shape: [Int])
    /// A `.npy` array stored in Fortran (column-major) order.
    case numPyFortranOrder(path: String)
    /// A `.npy` array stored big-endian.
    case numPyBigEndian(path: String, dtype: String)
    /// An output path whose extension names no format this module writes.
    case unknownExtension(path: String)
    /// An output path that is one of the inputs; writing would destroy an input.
    case outputIsInput(path: String)
    /// The output cannot be created or replaced.
    case outputNotWritable(path: String, reason: String)
    /// A tensor or pixel buffer whose shape cannot become an image.
    case invalidImageShape([Int], expected: String)
    /// A JPEG quality outside 1...100.
    case invalidJPEGQuality(Int)
    /// libpng or libjpeg-turbo failed to encode valid pixels (for example out of memory).
    case encodingFailed(format: FileFormat, message: String)
    /// A YUV4MPEG2 (`.y4m`) file whose header or frame line is malformed.
    case corruptYUV4MPEG(path: String, reason: String)
    /// A YUV4MPEG2 file of a layout not read (4:1:1, alpha, ...).
    case unsupportedYUV4MPEG(path: String, reason: String)
    /// A YUV4MPEG2 file that ends inside a frame (`frame` counts from 1).
    case truncatedYUV4MPEG(path: String, frame: Int, expectedBytes: Int, actualBytes: Int)
}

extension FormatError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "'\(path)' does not exist; check the path and the working directory"
        case let .unreadableFile(path, reason):
            return "cannot read '\(path)': \(reason); check that it is a file you may read"
        case let .unrecognizedFormat(path):
            return "cannot tell the format of '\(path)': its content is not PNG, JPEG, WebP, AVIF, TIFF, GIF, BMP, "
                + "PNM or NumPy .npy; convert it to PNG"
        case let .contentMismatch(path, content):
            return "'\(path)' holds a \(content.name) file, not what its extension says; "
                + "rename it to end in .\(content.rawValue)"
        case let .corruptImage(path, format, message):
            return "'\(path)' is not a valid \(format.name) (\(format.library): \(message)); the file is corrupt "
                + "or truncated; export it again"
        case let .unsupportedImage(path, format, message):
            return "'\(path)' is a \(format.name) this reader does not support (\(message)); convert it to PNG"
        case let .colorProfileFailed(path, format, message):
            return "the colour profile of '\(path)' (\(format.name)) cannot be converted to sRGB (\(message)); "
                + "compare without it (ssim --icc ignore, or ImageReadOptions.convertsColorProfile = false)"
        case let .imageTooLarge(path, width, height, limit):
            return "'\(path)' is \(width) x \(height) pixels, more than the limit of \(limit) pixels; "
                + "downscale it or pass a larger maximumPixelCount"
        case let .corruptNumPy(path, reason):
            return "'\(path)' is not a valid NumPy .npy file: \(reason); write it with numpy.save"
        case let .truncatedNumPy(path, expected, actual):
            return "'\(path)' is truncated: its header needs \(expected) bytes but the file has \(actual); "
                + "write it again with numpy.save"
        case let .unsupportedNumPyDType(path, dtype):
            return "'\(path)' holds dtype '\(dtype)'; supported dtypes are '<f4' (float32), '<f8' (float64) "
                + "and '|u1' (uint8); convert with array.astype(numpy.float32)"
        case let .unsupportedNumPyRank(path, shape):
            return "'\(path)' has shape \(NumPyHeader.pythonTuple(shape)) (rank \(shape.count)); expected rank 2 "
                + "(H, W), 3 (C, H, W), 4 (B, C, H, W) or 5 (B, C, D, H, W); reshape it before saving"
        case let .numPyFortranOrder(path):
            return "'\(path)' is stored in Fortran (column-major) order; save a C-ordered copy with "
                + "numpy.save(path, numpy.ascontiguousarray(array))"
        case let .numPyBigEndian(path, dtype):
            return "'\(path)' is big-endian (dtype '\(dtype)'); save a little-endian copy with "
                + "array.astype(array.dtype.newbyteorder('<'))"
        case let .unknownExtension(path):
            return "cannot tell which format to write '\(path)' in; end the name with .png, .jpg, .jpeg or .npy "
                + "(the other formats are read only)"
        case let .outputIsInput(path):
            return "refusing to write '\(path)': it is one of the input files; choose another output path"
        case let .outputNotWritable(path, reason):
            // strerror's texts for ENOSPC, EDQUOT and EFBIG (a full disk, a quota, `ulimit -f`).
            let outOfSpace = ["No space left on device", "Disk quota exceeded", "File too large"].contains(reason)
            let advice = outOfSpace ? "free some space or write it elsewhere" : "check that its directory exists and is writable"
            return "cannot write '\(path)': \(reason); \(advice)"
        case let .invalidImageShape(shape, expected):
            return "shape \(shape) cannot be an image: expected \(expected)"
        case let .invalidJPEGQuality(quality):
            return "JPEG quality \(quality) is out of range; use a whole number from 1 (smallest file) to 100 (best)"
        case let .encodingFailed(format, message):
            return "encoding a \(format.name) failed: \(message)"
        case let .corruptYUV4MPEG(path, reason):
            return "'\(path)' is not a valid YUV4MPEG2 (.y4m) file: \(reason); write it again, e.g. with "
                + "ffmpeg -i INPUT -pix_fmt yuv420p OUTPUT.y4m"
        case let .unsupportedYUV4MPEG(path, reason):
            return "'\(path)' cannot be compared: \(reason); convert it, e.g. with ffmpeg -i INPUT -pix_fmt yuv444p OUTPUT.y4m"
        case let .truncatedYUV4MPEG(path, frame, expected, actual):
            return "'\(path)' is truncated: frame \(frame) needs \(expected) bytes but only \(actual) remain; "
                + "the file was cut short: write it again, or cut it to whole frames"
        }
    }
}
