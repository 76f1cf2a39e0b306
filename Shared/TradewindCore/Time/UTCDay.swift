/// A UTC calendar day, counted in days since 1970-01-01: the bucket daily PnL is reported in.
public struct UTCDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let daysSinceEpoch: Int64

    private static let nanosecondsPerDay: Int64 = 86_400_000_000_000

    public init(daysSinceEpoch: Int64) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The day holding `timeNs` (ns since the epoch; negative times fall on days before 1970).
    public init(timeNs: Int64) {
        daysSinceEpoch = DecimalMath.floorDivide(timeNs, Self.nanosecondsPerDay)
    }

    /// Parses an ISO date such as `2026-01-02` (PostgreSQL's `date` output); nil for any other shape.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count >= 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let candidate = UTCDay(daysSinceEpoch: Self.days(fromCivil: year, month, day))
        guard candidate.description == text else { return nil }
        self = candidate
    }

    /// The first nanosecond of the day.
    public var startNs: Int64 { daysSinceEpoch * Self.nanosecondsPerDay }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = Self.civil(fromDays: daysSinceEpoch)
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    // Howard Hinnant's days <-> civil date algorithms (proleptic Gregorian calendar).
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
}
