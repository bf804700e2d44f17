import Foundation
import Synchronization

/// A progress bar for long runs, drawn on standard error only when standard error is a terminal
/// (`isatty`); in a pipe or a file it draws nothing, so scripts and logs stay clean.
///
/// Redraws at most ten times a second, however often it is updated.
final class ProgressBar: Sendable {
    private struct State {
        var lastDrawnAt: ContinuousClock.Instant?
        var isVisible = false
    }

    private let label: String
    private let totalCount: UInt64?
    private let unit: String
    private let isEnabled: Bool
    private let startedAt = ContinuousClock.now
    private let state = Mutex(State())

    /// A bar for `totalCount` units of work (unknown: a counter without a bar).
    init(_ label: String, totalCount: UInt64?, unit: String = "records", isEnabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.totalCount = totalCount
        self.unit = unit
        self.isEnabled = isEnabled
    }

    /// Shows that `doneCount` units are done, of `totalCount` where it is learnt as the run goes
    /// (else of the total given at the start).
    func update(_ doneCount: UInt64, of totalCount: UInt64? = nil) {
        guard self.isEnabled else { return }
        let now = ContinuousClock.now
        let shouldDraw = self.state.withLock { state -> Bool in
            if let last = state.lastDrawnAt, last.duration(to: now) < .milliseconds(100) { return false }
            state.lastDrawnAt = now
            state.isVisible = true
            return true
        }
        if shouldDraw {
            Self.writeToStandardError("\r\u{1B}[K" + self.line(doneCount, of: totalCount ?? self.totalCount, at: now, columns: Self.terminalColumns()))
        }
    }

    /// Clears the bar, leaving the terminal as it was.
    func finish() {
        guard self.isEnabled else { return }
        let wasVisible = self.state.withLock { state in
            defer { state.isVisible = false }
            return state.isVisible
        }
        if wasVisible { Self.writeToStandardError("\r\u{1B}[K") }
    }

    /// The line, one column short of the terminal's width: a line that wraps is cleared only in
    /// part by the next redraw, which would scroll a stale half-line each time. The bar narrows
    /// to fit, and goes when fewer than ten columns are left for it; what still does not fit is cut.
    private func line(_ doneCount: UInt64, of totalCount: UInt64?, at now: ContinuousClock.Instant, columns: Int) -> String {
        let room = max(columns - 1, 1)
        let seconds = self.startedAt.duration(to: now).inSeconds
        let rate = seconds > 0 ? Double(doneCount) / seconds : 0
        let rateText = "\(Self.compact(rate)) \(self.unit)/s"
        guard let totalCount, totalCount > 0 else {
            return String("\(self.label): \(doneCount) \(self.unit), \(rateText)".prefix(room))
        }
        let fraction = min(1, Double(doneCount) / Double(totalCount))
        let counts = "\(Int(fraction * 100))% \(doneCount)/\(totalCount) \(self.unit), \(rateText)"
        // "label [" and "] " around the bar.
        let barWidth = min(Self.widestBar, room - self.label.count - 4 - counts.count)
        guard barWidth >= 10 else { return String("\(self.label) \(counts)".prefix(room)) }
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        return "\(self.label) [\(bar)] \(counts)"
    }

    private static let widestBar = 30

    /// Standard error's terminal width in columns; 80 when it does not say.
    private static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// `12.3k`, `4.56M`: a rate short enough for one line.
    private static func compact(_ value: Double) -> String {
        switch value {
        case 1e6...: String(format: "%.2fM", value / 1e6)
        case 1e3...: String(format: "%.1fk", value / 1e3)
        default: String(format: "%.0f", value)
        }
    }

    private static func writeToStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
