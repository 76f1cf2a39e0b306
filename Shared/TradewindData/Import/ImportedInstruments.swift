import TradewindCore

/// The instruments an import meets, in the order it meets them, and the rules each gets: the
/// configuration's when it lists the id; otherwise learnt from the data, the tick size being the
/// finest decimal place any price uses and the lot size (and minimum quantity) the finest any
/// size uses, with base and quote split from the symbol (`SymbolAssets`).
struct ImportedInstruments {
    private(set) var ids: [InstrumentId] = []
    private var positions: [InstrumentId: Int] = [:]
    private var priceDecimals: [Int] = []
    private var sizeDecimals: [Int] = []
    let configured: [InstrumentId: Instrument]

    init(configured: [InstrumentId: Instrument]) {
        self.configured = configured
    }

    /// Notes the event's instrument and numbers; true when the instrument is new.
    @discardableResult
    mutating func observe(_ event: MarketEvent) -> Bool {
        let id = event.instrument
        var isNew = false
        let position: Int
        if let known = positions[id] {
            position = known
        } else {
            position = ids.count
            positions[id] = position
            ids.append(id)
            priceDecimals.append(0)
            sizeDecimals.append(0)
            isNew = true
        }
        guard configured[id] == nil else { return isNew }
        switch event {
        case .quote(let quote):
            note(price: quote.bid.units, position)
            note(price: quote.ask.units, position)
            note(size: quote.bidSize.units, position)
            note(size: quote.askSize.units, position)
        case .trade(let trade):
            note(price: trade.price.units, position)
            note(size: trade.size.units, position)
        case .book(let book):
            for level in book.bids + book.asks {
                note(price: level.price.units, position)
                note(size: level.size.units, position)
            }
        case .bar(let bar):
            for price in [bar.open, bar.high, bar.low, bar.close] { note(price: price.units, position) }
        }
        return isNew
    }

    /// The rules of `id`: the configuration's, or what the data showed so far.
    func instrument(_ id: InstrumentId) -> Instrument {
        if let known = configured[id] { return known }
        let position = positions[id] ?? 0
        let tick = Self.step(decimals: priceDecimals.isEmpty ? 0 : priceDecimals[position])
        let lot = Self.step(decimals: sizeDecimals.isEmpty ? 0 : sizeDecimals[position])
        let assets = SymbolAssets.split(id.symbol)
        return Instrument(
            id: id, baseAsset: assets.base, quoteAsset: assets.quote, tickSize: Price(units: tick), lotSize: Quantity(units: lot),
            minQuantity: Quantity(units: lot))
    }

    /// Where each instrument's rules came from, for the manifest's `source`.
    var provenance: [String: DatasetJSON] {
        Dictionary(uniqueKeysWithValues: ids.map { ($0.description, DatasetJSON.string(configured[$0] == nil ? "inferred" : "configuration")) })
    }

    /// Decimal places a value in units of 10^-8 uses (0 for whole numbers).
    static func decimals(_ units: Int64) -> Int {
        var value = units.magnitude
        var places = Price.scale
        while places > 0, value % 10 == 0 {
            value /= 10
            places -= 1
        }
        return places
    }

    /// 10^-decimals in units of 10^-8.
    static func step(decimals: Int) -> Int64 {
        var units: Int64 = 1
        for _ in 0..<(Price.scale - decimals) { units *= 10 }
        return units
    }

    private mutating func note(price units: Int64, _ position: Int) {
        if units != 0, priceDecimals[position] < 8 { priceDecimals[position] = max(priceDecimals[position], Self.decimals(units)) }
    }

    private mutating func note(size units: Int64, _ position: Int) {
        if units != 0, sizeDecimals[position] < 8 { sizeDecimals[position] = max(sizeDecimals[position], Self.decimals(units)) }
    }
}
