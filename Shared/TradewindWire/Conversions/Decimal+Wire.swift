import TradewindCore

extension Tradewind_V1_Decimal {
    /// The exact wire form of a core fixed-point value (scale 8).
    public init<Unit>(_ value: FixedPoint<Unit>) {
        self.init()
        self.units = value.units
        self.scale = UInt32(FixedPoint<Unit>.scale)
    }
}

extension FixedPoint {
    /// The core value of a wire decimal; fails if it needs more than 8 places or does not fit.
    public init(wire: Tradewind_V1_Decimal) throws(NumberError) {
        guard wire.scale <= 18 else { throw NumberError.invalidScale(Int(wire.scale)) }
        try self.init(decimalUnits: wire.units, scale: Int(wire.scale))
    }
}

extension InstrumentId {
    /// Parses an instrument id carried on the wire.
    init(wire text: String, message: String) throws(WireError) {
        do {
            try self.init(parsing: text)
        } catch {
            throw WireError.invalidField(message: message, field: "instrument", reason: error.description)
        }
    }
}

/// Reads a required decimal field, naming it on failure.
func decimal<Unit>(
    _ message: String, _ name: String, _ value: Tradewind_V1_Decimal, present: Bool
) throws(WireError) -> FixedPoint<Unit> {
    guard present else { throw WireError.missingField(message: message, field: name) }
    do {
        return try FixedPoint<Unit>(wire: value)
    } catch {
        throw WireError.invalidField(message: message, field: name, reason: error.description)
    }
}
