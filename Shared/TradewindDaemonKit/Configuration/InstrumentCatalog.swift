import TradewindCore

/// The suite's `instruments` list, decoded into core instruments keyed by id.
public struct InstrumentCatalog: Sendable {
    public let instruments: [InstrumentId: Instrument]

    /// Every instrument id, sorted.
    public var ids: [InstrumentId] { instruments.keys.sorted() }

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        var found: [InstrumentId: Instrument] = [:]
        for (index, entry) in try configuration.root.sectionList("instruments").enumerated() {
            let id = try entry.validate("id") { try InstrumentId(parsing: try entry.nonEmptyString("id")) }
            let instrument = Instrument(
                id: id,
                baseAsset: try entry.nonEmptyString("base"),
                quoteAsset: try entry.nonEmptyString("quote"),
                tickSize: try entry.decimal("tick_size") { try Price(parsing: $0) },
                lotSize: try entry.decimal("lot_size") { try Quantity(parsing: $0) },
                minQuantity: try entry.decimal("min_quantity") { try Quantity(parsing: $0) }
            )
            try entry.validate("id") { try instrument.validate() }
            guard found.updateValue(instrument, forKey: id) == nil else {
                throw .invalidValue(path: "instruments[\(index)].id", value: "\"\(id)\"", reason: "listed twice")
            }
        }
        guard !found.isEmpty else {
            throw .invalidValue(path: "instruments", value: "[]", reason: "at least one instrument is needed")
        }
        instruments = found
    }

    /// The instrument ids of a map keyed by instrument id (e.g. `start_prices`), each checked against
    /// the catalog; `parse` turns each value into its core type, errors naming `section.key.<id>`.
    public func map<Value>(
        _ section: ConfigSection, _ key: String, parse: (String) throws -> Value
    ) throws(ConfigError) -> [InstrumentId: Value] {
        var result: [InstrumentId: Value] = [:]
        for (text, value) in try section.decimalStringMap(key) {
            let path = "\(section.keyPath(key)).\(text)"
            let id = try ConfigError.validate(path, value: "\"\(text)\"") { try InstrumentId(parsing: text) }
            guard instruments[id] != nil else {
                throw .invalidValue(path: path, value: "\"\(text)\"", reason: "not in the instruments list")
            }
            result[id] = try ConfigError.validate(path, value: "\"\(value)\"") { try parse(value) }
        }
        return result
    }

    /// `map` that also requires an entry for every instrument in the catalog.
    public func completeMap<Value>(
        _ section: ConfigSection, _ key: String, parse: (String) throws -> Value
    ) throws(ConfigError) -> [InstrumentId: Value] {
        let result = try map(section, key, parse: parse)
        if let missing = ids.first(where: { result[$0] == nil }) {
            throw .missingKey(path: "\(section.keyPath(key)).\(missing)")
        }
        return result
    }
}
