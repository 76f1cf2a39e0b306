/// Binance public data times: milliseconds since the epoch in files before 2025, microseconds
/// in spot files from 2025-01-01 on, with nothing but the magnitude to tell them apart. Decided
/// per value: 10^11 to 10^14 is milliseconds (1973 to 5138), 10^14 to 10^17 microseconds.
enum BinanceTimestamp {
    static let millisecondRange: Range<Int64> = 100_000_000_000..<100_000_000_000_000
    static let microsecondRange: Range<Int64> = 100_000_000_000_000..<100_000_000_000_000_000

    /// The time in ns since the epoch.
    static func nanoseconds(_ value: Int64, column: String) throws(ImportLineError) -> Int64 {
        if millisecondRange.contains(value) { return value * 1_000_000 }
        if microsecondRange.contains(value) { return value * 1_000 }
        throw ImportLineError("\(column) \(value) is neither milliseconds nor microseconds since the epoch")
    }
}
