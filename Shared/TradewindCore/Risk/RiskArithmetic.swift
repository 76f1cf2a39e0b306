/// Small exact helpers the risk checks share: saturating time differences and decimal texts for
/// denial limit/observed fields (which must always parse as decimals).
enum RiskArithmetic {
    /// `to - from`, saturating instead of trapping on garbage times.
    static func elapsed(from: Int64, to: Int64) -> Int64 {
        Int64(clamping: Int128(to) - Int128(from))
    }

    /// Nanoseconds as decimal seconds, truncated to 10 ns: e.g. 1_500_000_000 → "1.5".
    static func seconds(_ nanoseconds: Int64) -> String {
        "\(Money(units: nanoseconds / 10))"
    }
}
