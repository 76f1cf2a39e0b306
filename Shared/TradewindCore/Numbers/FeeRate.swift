/// A fee rate as an exact fraction of notional, between -1 and 1 (negative = rebate).
public struct FeeRate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The rate as a fraction (0.001 = 0.10% = 10 bps).
    public let rate: Rate

    /// Zero fees.
    public static var zero: FeeRate { FeeRate(validated: .zero) }

    /// A rate in basis points (`FeeRate(bps: 10)` = 0.001); throws outside -10 000...10 000.
    public init(bps: Int64) throws(NumberError) {
        guard (-10_000...10_000).contains(bps) else {
            throw .notRepresentable(value: "\(bps) bps", scale: Rate.scale)
        }
        self.init(validated: Rate(units: bps * 10_000))
    }

    /// Parses a fractional rate such as "0.001"; throws for junk or |rate| > 1.
    public init(parsing text: String) throws(NumberError) {
        let rate = try Rate(parsing: text)
        guard rate.absoluteValue.units <= DecimalMath.unitsPerWhole else { throw .outOfRange(input: text) }
        self.init(validated: rate)
    }

    /// Creates a rate from a fraction; nil if |rate| > 1.
    public init?(rate: Rate) {
        guard rate.units != .min, rate.absoluteValue.units <= DecimalMath.unitsPerWhole else { return nil }
        self.init(validated: rate)
    }

    private init(validated rate: Rate) {
        self.rate = rate
    }

    /// The fee on `notional`, rounded half-even to 8 dp.
    public func fee(on notional: Money) -> Money {
        notional.applying(self)
    }

    public var description: String { rate.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rate.description)
    }
}
