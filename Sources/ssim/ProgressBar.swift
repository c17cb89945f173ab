import Foundation

/// A one-line progress bar on standard error, redrawn in place, shown only when standard error
/// is a terminal (never in pipes, files or logs).
///
/// ```
/// [##########..........]  5/10  cat.png
/// ```
struct ProgressBar {
    let total: Int
    #if os(Windows)
    let isShown = _isatty(2) != 0  // the UCRT's spelling (unverified: no Windows Swift here)
    #else
    let isShown = isatty(2) == 1
    #endif
    static let width = 30

    /// Draws the bar with `completed` of `total` done, working on `current`.
    func show(completed: Int, current: String) {
        guard isShown, total > 0 else { return }
        let filled = Self.width * completed / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: Self.width - filled)
        let count = String(completed).leftPadded(to: String(total).count)
        write("\r\u{1B}[K[\(bar)] \(count)/\(total)  \(current)")
    }

    /// Erases the bar, before printing a line or at the end.
    func clear() {
        guard isShown else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
