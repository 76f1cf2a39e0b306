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
        let candidate = UTCDay(daysSinceEpoch: CivilCalendar.days(fromCivil: year, month, day))
        guard candidate.description == text else { return nil }
        self = candidate
    }

    /// The first nanosecond of the day.
    public var startNs: Int64 { daysSinceEpoch * Self.nanosecondsPerDay }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = CivilCalendar.civil(fromDays: daysSinceEpoch)
        return "\(CivilCalendar.pad(year, 4))-\(CivilCalendar.pad(month, 2))-\(CivilCalendar.pad(day, 2))"
    }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
