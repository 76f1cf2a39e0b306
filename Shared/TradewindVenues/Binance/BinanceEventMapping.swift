import Logging
import TradewindCore

/// Turns Binance answers into venue-neutral events, snapshots and trades for one set of instruments.
struct BinanceEventMapping: Sendable {
    let instruments: [InstrumentId: Instrument]
    let logger: Logger

    /// Binance trade ids are unique per symbol; qualified by the symbol they are unique per venue.
    static func tradeId(symbol: String, id: Int64) -> String { "\(symbol)-\(id)" }

    static func nanoseconds(_ milliseconds: Int64) -> Int64 {
        BinanceRESTClient.nanoseconds(milliseconds: milliseconds)
    }

    /// The reason of a failed call: its stable code, Binance's code and message as the detail.
    static func reason(_ error: VenueError) -> OrderReason {
        error.orderReason ?? OrderReason(.unknown, error.description)
    }

    func instrument(_ id: InstrumentId) throws(VenueError) -> Instrument {
        guard id.venue == BinanceVenueAdapter.venueName, let instrument = instruments[id] else {
            throw .rejected(
                .unknownInstrument, code: "UNKNOWN_INSTRUMENT",
                message: "\(id) is not configured for \(BinanceVenueAdapter.venueName)")
        }
        return instrument
    }

    func instrument(symbol: String) throws(VenueError) -> Instrument {
        guard let instrument = instruments.values.first(where: { $0.id.symbol == symbol }) else {
            throw .rejected(.unknownInstrument, code: "UNKNOWN_INSTRUMENT", message: "symbol \(symbol) is not configured")
        }
        return instrument
    }

    /// The symbol whose price values `asset` in the instrument's quote asset (e.g. BNBUSDT), or nil
    /// when the commission needs no price: in the quote or base asset, or zero.
    static func feeSymbol(commission: Money, asset: String, instrument: Instrument) -> String? {
        guard !commission.isZero, asset != instrument.quoteAsset, asset != instrument.baseAsset else { return nil }
        return asset + instrument.quoteAsset
    }

    /// A commission as the fill's fee in the quote asset (what PnL counts) and, when the venue took
    /// another asset, that charge (what balances move by). The base asset is valued at the fill
    /// price, a third asset (BNB) at `feePrices[asset + quote]`, the venue's last price fetched with
    /// the fill; without one the quote fee is zero and a warning says so.
    func fee(
        commission: Money, asset: String, price: Price, instrument: Instrument, feePrices: [String: Price]
    ) -> (quote: Money, charged: FeeCharge?) {
        if asset == instrument.quoteAsset || (asset.isEmpty && commission.isZero) { return (commission, nil) }
        let charged = FeeCharge(amount: commission, asset: asset)
        let rate: Price?
        if asset == instrument.baseAsset {
            rate = price
        } else if let symbol = Self.feeSymbol(commission: commission, asset: asset, instrument: instrument) {
            rate = feePrices[symbol]
        } else {
            rate = nil
        }
        guard let rate else {
            if !commission.isZero {
                logger.warning("binance fee in an asset without a price counts zero in PnL", metadata: [
                    "instrument": "\(instrument.id)", "asset": "\(asset)", "commission": "\(commission)",
                ])
            }
            return (.zero, charged)
        }
        do {
            return (try rate.notional(Quantity(units: commission.units)), charged)
        } catch {
            logger.warning("binance fee out of range", metadata: ["asset": "\(asset)", "commission": "\(commission)"])
            return (.max, charged)
        }
    }

    /// Events for a FULL new-order answer: acceptance, its immediate (taker) fills, then the
    /// expiry of an IOC/market remainder.
    func events(
        for response: BinanceNewOrderResponse, clientOrderId: String, instrument: Instrument, feePrices: [String: Price]
    ) -> [VenueEvent] {
        let time = Self.nanoseconds(response.transactTime)
        guard response.status != .rejected else {
            let reason = OrderReason(.rejectedAtVenue, "status \(response.status.rawValue)")
            return [.rejected(clientOrderId: clientOrderId, reason: reason, timeNs: time)]
        }
        let venueOrderId = String(response.orderId)
        var events: [VenueEvent] = [.accepted(clientOrderId: clientOrderId, venueOrderId: venueOrderId, timeNs: time)]
        for fill in response.fills ?? [] {
            let fee = fee(
                commission: fill.commission, asset: fill.commissionAsset, price: fill.price, instrument: instrument,
                feePrices: feePrices)
            events.append(.filled(
                clientOrderId: clientOrderId, venueOrderId: venueOrderId,
                tradeId: Self.tradeId(symbol: response.symbol, id: fill.tradeId), quantity: fill.qty, price: fill.price,
                fee: fee.quote, liquidity: .taker, timeNs: time, charged: fee.charged))
        }
        if let ending = ending(status: response.status, clientOrderId: clientOrderId, timeNs: time) {
            events.append(ending)
        }
        return events
    }

    /// The event that ends an order the venue finished without filling it: canceled, expired or
    /// rejected (with the venue's status as the detail); nil while working or filled.
    func ending(status: BinanceOrderStatus, clientOrderId: String, timeNs: Int64) -> VenueEvent? {
        let detail = "status \(status.rawValue)"
        switch status {
        case .canceled:
            return .canceled(clientOrderId: clientOrderId, reason: OrderReason(.canceled, detail), timeNs: timeNs)
        case .expired, .expiredInMatch:
            return .expired(clientOrderId: clientOrderId, reason: OrderReason(.expiredAtVenue, detail), timeNs: timeNs)
        case .rejected:
            return .rejected(clientOrderId: clientOrderId, reason: OrderReason(.rejectedAtVenue, detail), timeNs: timeNs)
        case .new, .pendingNew, .partiallyFilled, .filled, .pendingCancel:
            return nil
        }
    }

    /// A `.filled` event for one of the order's trades.
    func fill(_ trade: BinanceTrade, clientOrderId: String, instrument: Instrument, feePrices: [String: Price]) -> VenueEvent {
        let fee = fee(
            commission: trade.commission, asset: trade.commissionAsset, price: trade.price, instrument: instrument,
            feePrices: feePrices)
        return .filled(
            clientOrderId: clientOrderId, venueOrderId: String(trade.orderId),
            tradeId: Self.tradeId(symbol: trade.symbol, id: trade.id), quantity: trade.qty, price: trade.price,
            fee: fee.quote, liquidity: trade.isMaker ? .maker : .taker, timeNs: Self.nanoseconds(trade.time),
            charged: fee.charged)
    }

    /// A trade as the venue lists it: the fee in the asset it was charged in, and valued in the quote asset.
    func venueTrade(_ trade: BinanceTrade, instrument: Instrument, feePrices: [String: Price]) -> VenueTrade {
        let fee = fee(
            commission: trade.commission, asset: trade.commissionAsset, price: trade.price, instrument: instrument,
            feePrices: feePrices)
        return VenueTrade(
            tradeId: Self.tradeId(symbol: trade.symbol, id: trade.id), venueOrderId: String(trade.orderId),
            clientOrderId: "", instrument: instrument.id, side: trade.isBuyer ? .buy : .sell, quantity: trade.qty,
            price: trade.price, fee: trade.commission, feeAsset: trade.commissionAsset, quoteFee: fee.quote,
            liquidity: trade.isMaker ? .maker : .taker, timeNs: Self.nanoseconds(trade.time))
    }

    /// The order as a snapshot. `clientOrderId` is kept only for ids Tradewind generates
    /// (`ClientOrderId.prefix`); orders placed elsewhere get an empty one.
    func snapshot(_ order: BinanceOrder, instrument: Instrument) -> VenueOrderSnapshot {
        var average = Price.zero
        if order.executedQty > .zero, order.cummulativeQuoteQty > .zero {
            average = (try? order.cummulativeQuoteQty.divided(by: order.executedQty)) ?? .zero
        }
        let orderType = order.type.orderType
        return VenueOrderSnapshot(
            clientOrderId: order.clientOrderId, venueOrderId: String(order.orderId),
            instrument: instrument.id, side: order.side.side, orderType: orderType,
            timeInForce: order.timeInForce?.timeInForce ?? .gtc, quantity: order.origQty,
            limitPrice: orderType == .limit ? order.price : nil, filledQuantity: order.executedQty,
            averagePrice: average, state: order.status.venueState, timeNs: Self.nanoseconds(order.updateTime))
    }
}
