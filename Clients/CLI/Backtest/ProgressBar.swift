import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar {
    private let total: Int
    private let label: String
    private let started = ContinuousClock.now
    private var lastDrawn = ContinuousClock.now - .seconds(1)

    /// Nil when stderr is not a terminal (a pipe, a log file, a test).
    init?(total: Int, label: String) {
        guard isatty(STDERR_FILENO) == 1, total > 0 else { return nil }
        self.total = total
        self.label = label
    }

    func update(done: Int) {
        let now = ContinuousClock.now
        guard now - lastDrawn >= .milliseconds(200) else { return }
        lastDrawn = now
        draw(done: done, now: now)
    }

    func finish(done: Int) {
        draw(done: done, now: .now)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw(done: Int, now: ContinuousClock.Instant) {
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(
            format: "\r%@ ▕%@▏ %3.0f%%  %@ events  %@ ev/s  eta %.0fs ", label, bar, fraction * 100,
            Self.short(Double(done)), Self.short(rate), eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func short(_ value: Double) -> String {
        switch value {
        case 1e9...: String(format: "%.1fG", value / 1e9)
        case 1e6...: String(format: "%.1fM", value / 1e6)
        case 1e3...: String(format: "%.1fk", value / 1e3)
        default: String(format: "%.0f", value)
        }
    }
}
