import TradewindCore

/// Instrument ids of Tardis rows from their `exchange` and `symbol` columns, remembering the last
/// pair so a file of one symbol builds its id once. With a fixed id, a second symbol is an error.
struct TardisInstrumentResolver {
    let naming: ImportInstrumentNaming
    private var lastExchange: Substring = ""
    private var lastSymbol: Substring = ""
    private var lastId: InstrumentId?

    init(naming: ImportInstrumentNaming) {
        self.naming = naming
    }

    mutating func instrument(exchange: Substring, symbol: Substring) throws(ImportLineError) -> InstrumentId {
        if let lastId, exchange == lastExchange, symbol == lastSymbol { return lastId }
        let id: InstrumentId
        switch naming {
        case .fixed(let fixed):
            if lastId != nil, symbol != lastSymbol {
                throw ImportLineError("symbol \(symbol) differs from \(lastSymbol) before it; --instrument names a single instrument")
            }
            id = fixed
        case .symbol(let venue):
            do {
                id = try InstrumentId(venue: venue ?? ImportInstrumentNaming.venue(ofExchange: exchange), symbol: symbol.uppercased())
            } catch {
                throw ImportLineError("\(error); give --instrument VENUE:SYMBOL")
            }
        }
        lastExchange = exchange
        lastSymbol = symbol
        lastId = id
        return id
    }
}
