/// Renders and parses UTC `timestamptz` text (`2024-03-01 12:34:56.123456+00`) without
/// Foundation, using the proleptic Gregorian day arithmetic of Howard Hinnant's algorithms.
enum PGTimestamp {
    static func render(nanoseconds: Int64) -> String {
        let micros = nanoseconds >= 0 ? nanoseconds / 1_000 : (nanoseconds - 999) / 1_000
        let days = micros >= 0 ? micros / 86_400_000_000 : (micros - 86_399_999_999) / 86_400_000_000
        let inDay = micros - days * 86_400_000_000
        let (year, month, day) = civil(fromDays: days)
        let seconds = inDay / 1_000_000
        let fraction = inDay % 1_000_000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(fraction, 6))+00"
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
        let days = days(fromCivil: year, month, day)
        return ((days * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000_000 + micros) * 1_000
    }

    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func days(fromCivil year0: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let year = month <= 2 ? year0 - 1 : year0
        let era = (year >= 0 ? year : year - 399) / 400
        let yoe = year - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func pow10(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
