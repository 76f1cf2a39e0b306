/// An order whose worst-case exposure is added to the portfolio's.
struct ExposureOrder {
    var instrument: InstrumentId
    var side: Side
    var quantity: Quantity
    var price: Price
}

extension RiskEngine {
    /// Σ |worst-case position| × reference price over all instruments, where the worst case adds
    /// every pending order of one side to the position, and the reference price is the quote mid
    /// (else the order's price, the position's mark, or the highest pending limit price).
    public var grossExposure: Money {
        Money.saturating(grossExposureUnits(adding: nil).current)
    }

    /// Gross exposure in Money units now, and with `order` added as pending.
    func grossExposureUnits(adding order: ExposureOrder?) -> (current: Int128, projected: Int128) {
        var pending: [InstrumentId: PendingExposure] = [:]
        for entry in pendingOrders.values {
            pending[entry.order.instrument, default: PendingExposure()].add(entry.order.side, entry.remaining, limitPrice: entry.order.limitPrice)
        }
        var instruments = Set(positions.keys).union(pending.keys)
        if let order { instruments.insert(order.instrument) }
        var current: Int128 = 0
        var projected: Int128 = 0
        for instrument in instruments {
            let held = Int128(positions[instrument]?.units ?? 0)
            var exposure = pending[instrument] ?? PendingExposure()
            let isOrderInstrument = order?.instrument == instrument
            let price = referencePrice(
                instrument, orderPrice: isOrderInstrument ? order?.price : nil, pendingLimit: exposure.highestLimitPrice)
            let now = exposure.worstCaseValue(held: held, price: price)
            current += now
            if isOrderInstrument, let order {
                exposure.add(order.side, order.quantity, limitPrice: nil)
                projected += exposure.worstCaseValue(held: held, price: price)
            } else {
                projected += now
            }
        }
        return (current, projected)
    }

    private func referencePrice(_ instrument: InstrumentId, orderPrice: Price?, pendingLimit: Price?) -> Price {
        if let quote = lastQuotes[instrument], quote.isTwoSided { return quote.mid }
        if let orderPrice { return orderPrice }
        if let mark = ledger.book[instrument]?.markPrice { return mark }
        return pendingLimit ?? .zero
    }
}

/// Pending quantity per side of one instrument (in units, so sums cannot overflow).
private struct PendingExposure {
    var buys: Int128 = 0
    var sells: Int128 = 0
    var highestLimitPrice: Price?

    mutating func add(_ side: Side, _ quantity: Quantity, limitPrice: Price?) {
        switch side {
        case .buy: buys += Int128(quantity.units)
        case .sell: sells += Int128(quantity.units)
        }
        if let limitPrice, limitPrice > (highestLimitPrice ?? .zero) { highestLimitPrice = limitPrice }
    }

    /// max(|held + buys|, |held - sells|) × price, in Money units.
    func worstCaseValue(held: Int128, price: Price) -> Int128 {
        let worst = max((held + buys).magnitude, (held - sells).magnitude)
        return Money.productUnits(Int64(clamping: worst), max(price.units, 0))
    }
}
