import TradewindCore

/// Renders and parses UTC `timestamptz` text (`2024-03-01 12:34:56.123456+00`) without
/// Foundation, using the proleptic Gregorian day arithmetic of Howard Hinnant's algorithms.
enum PGTimestamp {
    static func render(nanoseconds: Int64) -> String {
        let micros = nanoseconds >= 0 ? nanoseconds / 1_000 : (nanoseconds - 999) / 1_000
        let days = micros >= 0 ? micros / 86_400_000_000 : (micros - 86_399_999_999) / 86_400_000_000
        let inDay = micros - days * 86_400_000_000
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        let seconds = inDay / 1_000_000
        let fraction = inDay % 1_000_000
        return "\(CivilCalendar.pad(year, 4))-\(CivilCalendar.pad(month, 2))-\(CivilCalendar.pad(day, 2)) \(CivilCalendar.pad(seconds / 3600, 2)):\(CivilCalendar.pad(seconds / 60 % 60, 2)):\(CivilCalendar.pad(seconds % 60, 2)).\(CivilCalendar.pad(fraction, 6))+00"
    }

    /// Parses the server's ISO output in a UTC session; nil for any other shape.
    static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-")
        guard date.count == 3, let year = Int64(date[0]), let month = Int64(date[1]), let day = Int64(date[2]) else { return nil }
        var time = parts[1]
        guard time.hasSuffix("+00") else { return nil }
        time = time.dropLast(3)
        let clock = time.split(separator: ":")
        guard clock.count == 3, let hour = Int64(clock[0]), let minute = Int64(clock[1]) else { return nil }
        let secondParts = clock[2].split(separator: ".", omittingEmptySubsequences: false)
        guard let second = Int64(secondParts[0]) else { return nil }
        var micros: Int64 = 0
        if secondParts.count == 2 {
            let digits = secondParts[1]
            guard digits.count <= 6, let value = Int64(digits) else { return nil }
            micros = value * Int64(pow10(6 - digits.count))
        }
        let days = CivilCalendar.days(fromCivil: year, month, day)
        return ((days * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000_000 + micros) * 1_000
    }

    private static func pow10(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
