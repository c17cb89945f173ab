import SSIMFormats

/// How the command reads images: `--alpha`, `--icc` and `--orientation`.
///
/// `--alpha composite` (over white) is the default because it is what a person sees: a viewer
/// or browser shows a transparent image over its page, and the colour stored under a fully
/// transparent pixel is invisible there, so it must not change the score.
struct ImageSettings: Equatable {
    var alpha = AlphaHandling.default
    var read = ImageReadOptions()

    /// The `--alpha` value `composite[=COLOR]`, `drop` or `channel`, or nil for anything else
    /// (a number: MS-SSIM's weight). COLOR: `white`, `black`, `gray`/`grey`, a number in [0, 1]
    /// (grey), or `#RRGGBB`.
    static func alphaHandling(_ text: String) throws -> AlphaHandling? {
        switch text {
        case "drop": return .drop
        case "channel": return .channel
        case "composite": return .default
        default:
            guard text.hasPrefix("composite=") else { return nil }
            let color = String(text.dropFirst("composite=".count)).lowercased()
            if let background = background(color) { return .composite(over: background) }
            throw UsageError(
                description: "--alpha composite=COLOR takes white, black, gray, a number in [0, 1] or #RRGGBB, "
                    + "not '\(color)'")
        }
    }

    private static func background(_ color: String) -> [Float]? {
        switch color {
        case "white": return [1]
        case "black": return [0]
        case "gray", "grey": return [Float(128) / 255]
        default: break
        }
        if let value = Float(color), (0...1).contains(value) { return [value] }
        let hex = Array(color.utf8)
        guard hex.count == 7, hex[0] == UInt8(ascii: "#") else { return nil }
        var channels: [Float] = []
        for start in stride(from: 1, to: 7, by: 2) {
            guard let byte = UInt8(String(decoding: hex[start..<start + 2], as: UTF8.self), radix: 16) else { return nil }
            channels.append(Float(byte) / 255)
        }
        return channels
    }
}
