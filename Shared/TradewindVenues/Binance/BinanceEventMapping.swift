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

    /// Reason text of a refusal: "<code>: <msg>".
    static func reason(code: String, message: String) -> String { "\(code): \(message)" }

    /// Reason text of any venue error: "<code>: <msg>" for refusals, its description otherwise.
    static func reason(_ error: VenueError) -> String {
        switch error {
        case .rejected(let code, let message), .notFound(let code, let message):
            return reason(code: code, message: message)
        case .rateLimited, .transient, .unknownOutcome:
            return error.description
        }
    }

    func instrument(_ id: InstrumentId) throws(VenueError) -> Instrument {
        guard id.venue == BinanceVenueAdapter.venueName, let instrument = instruments[id] else {
            throw .rejected(code: "UNKNOWN_INSTRUMENT", message: "\(id) is not configured for \(BinanceVenueAdapter.venueName)")
        }
        return instrument
    }

    func instrument(symbol: String) throws(VenueError) -> Instrument {
        guard let instrument = instruments.values.first(where: { $0.id.symbol == symbol }) else {
            throw .rejected(code: "UNKNOWN_INSTRUMENT", message: "symbol \(symbol) is not configured")
        }
        return instrument
    }

    /// The fee in the instrument's quote asset: a commission in the quote asset as is, one in the
    /// base asset valued at the fill price. Any other asset (e.g. BNB) has no price here: the
    /// event carries zero and a warning is logged (`trades(...)` keeps the exact amount and asset).
    func quoteFee(commission: Money, asset: String, price: Price, instrument: Instrument) -> Money {
        if asset == instrument.quoteAsset { return commission }
        if asset == instrument.baseAsset {
            do {
                return try price.notional(Quantity(units: commission.units))
            } catch {
                logger.warning("binance fee out of range", metadata: ["asset": "\(asset)", "commission": "\(commission)"])
                return .max
            }
        }
        if !commission.isZero {
            logger.warning("binance fee in a third asset reported as zero", metadata: [
                "instrument": "\(instrument.id)", "asset": "\(asset)", "commission": "\(commission)",
            ])
        }
        return .zero
    }

    /// Events for a FULL new-order answer: acceptance, its immediate (taker) fills, then the
    /// expiry of an IOC/market remainder.
    func events(for response: BinanceNewOrderResponse, clientOrderId: String, instrument: Instrument) -> [VenueEvent] {
        let time = Self.nanoseconds(response.transactTime)
        guard response.status != .rejected else {
            return [.rejected(clientOrderId: clientOrderId, reason: response.status.rawValue, timeNs: time)]
        }
        let venueOrderId = String(response.orderId)
        var events: [VenueEvent] = [.accepted(clientOrderId: clientOrderId, venueOrderId: venueOrderId, timeNs: time)]
        for fill in response.fills ?? [] {
            events.append(.filled(
                clientOrderId: clientOrderId, venueOrderId: venueOrderId,
                tradeId: Self.tradeId(symbol: response.symbol, id: fill.tradeId), quantity: fill.qty, price: fill.price,
                fee: quoteFee(commission: fill.commission, asset: fill.commissionAsset, price: fill.price, instrument: instrument),
                liquidity: .taker, timeNs: time))
        }
        if let ending = ending(status: response.status, clientOrderId: clientOrderId, timeNs: time) {
            events.append(ending)
        }
        return events
    }

    /// The event that ends an order the venue finished without filling it: canceled, expired
    /// (with the venue's status as the reason) or rejected; nil while working or filled.
    func ending(status: BinanceOrderStatus, clientOrderId: String, timeNs: Int64) -> VenueEvent? {
        switch status {
        case .canceled:
            return .canceled(clientOrderId: clientOrderId, reason: VenueReason.canceledByRequest, timeNs: timeNs)
        case .expired, .expiredInMatch:
            return .expired(clientOrderId: clientOrderId, reason: status.rawValue, timeNs: timeNs)
        case .rejected:
            return .rejected(clientOrderId: clientOrderId, reason: status.rawValue, timeNs: timeNs)
        case .new, .pendingNew, .partiallyFilled, .filled, .pendingCancel:
            return nil
        }
    }

    /// A `.filled` event for one of the order's trades.
    func fill(_ trade: BinanceTrade, clientOrderId: String, instrument: Instrument) -> VenueEvent {
        .filled(
            clientOrderId: clientOrderId, venueOrderId: String(trade.orderId),
            tradeId: Self.tradeId(symbol: trade.symbol, id: trade.id), quantity: trade.qty, price: trade.price,
            fee: quoteFee(commission: trade.commission, asset: trade.commissionAsset, price: trade.price, instrument: instrument),
            liquidity: trade.isMaker ? .maker : .taker, timeNs: Self.nanoseconds(trade.time))
    }

    /// A trade as the venue lists it; the fee stays in the asset it was charged in.
    func venueTrade(_ trade: BinanceTrade, instrument: Instrument) -> VenueTrade {
        VenueTrade(
            tradeId: Self.tradeId(symbol: trade.symbol, id: trade.id), venueOrderId: String(trade.orderId),
            clientOrderId: "", instrument: instrument.id, side: trade.isBuyer ? .buy : .sell, quantity: trade.qty,
            price: trade.price, fee: trade.commission, feeAsset: trade.commissionAsset,
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
