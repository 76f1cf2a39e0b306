import TradewindCore

func px(_ text: String) -> Price { Price(text)! }
func qty(_ text: String) -> Quantity { Quantity(text)! }
func usd(_ text: String) -> Money { Money(text)! }

enum TestInstruments {
    static let btcId = try! InstrumentId(parsing: "SIM:BTCUSDT")
    static let ethId = try! InstrumentId(parsing: "SIM:ETHUSDT")
    static let btc = Instrument(
        id: btcId, baseAsset: "BTC", quoteAsset: "USDT",
        tickSize: px("0.01"), lotSize: qty("0.001"), minQuantity: qty("0.001"))
    static let eth = Instrument(
        id: ethId, baseAsset: "ETH", quoteAsset: "USDT",
        tickSize: px("0.01"), lotSize: qty("0.001"), minQuantity: qty("0.01"))
}

struct QuoteBuilder {
    var instrument = TestInstruments.btcId
    var bid = px("100")
    var bidSize = qty("5")
    var ask = px("101")
    var askSize = qty("5")
    var timeNs: Int64 = 1_000

    func build() -> Quote {
        Quote(instrument: instrument, bid: bid, bidSize: bidSize, ask: ask, askSize: askSize, timeNs: timeNs)
    }

    /// A quote whose mid is exactly `mid` (bid = mid - 0.5, ask = mid + 0.5).
    static func mid(_ mid: String, instrument: InstrumentId = TestInstruments.btcId, timeNs: Int64 = 1_000) -> Quote {
        let center = px(mid)
        return Quote(
            instrument: instrument, bid: center - px("0.5"), bidSize: qty("1"),
            ask: center + px("0.5"), askSize: qty("1"), timeNs: timeNs)
    }
}

struct FillBuilder {
    var instrument = TestInstruments.btcId
    var fee = Money.zero
    var counter = 0

    mutating func callAsFunction(_ side: Side, _ quantity: String, at price: String, fee: String = "0") -> Fill {
        counter += 1
        return Fill(
            instrument: instrument, side: side, quantity: qty(quantity), price: px(price),
            fee: usd(fee), tradeId: "T-\(counter)", timeNs: Int64(counter))
    }
}

struct IntentBuilder {
    var counter = 0
    var strategy = "test"

    mutating func callAsFunction(
        _ side: Side, _ quantity: String, limit: String? = nil,
        instrument: InstrumentId = TestInstruments.btcId, timeInForce: TimeInForce = .gtc
    ) -> OrderIntent {
        counter += 1
        return OrderIntent(
            intentId: "i-\(counter)", strategy: strategy, instrument: instrument, side: side,
            orderType: limit == nil ? .market : .limit, timeInForce: limit == nil ? .ioc : timeInForce,
            quantity: qty(quantity), limitPrice: limit.map(px), timeNs: Int64(counter) * 1_000)
    }
}

func approvedOrder(
    _ id: String, _ side: Side, _ quantity: String, limit: String? = nil,
    timeInForce: TimeInForce = .gtc, instrument: InstrumentId = TestInstruments.btcId, timeNs: Int64 = 10
) -> ApprovedOrder {
    ApprovedOrder(
        intentId: id, clientOrderId: ClientOrderId.from(intentId: id), strategy: "test",
        instrument: instrument, side: side, orderType: limit == nil ? .market : .limit,
        timeInForce: limit == nil ? .ioc : timeInForce, quantity: qty(quantity),
        limitPrice: limit.map(px), timeNs: timeNs)
}

struct ReportBuilder {
    var instrument = TestInstruments.btcId

    func fill(
        _ clientOrderId: String, _ side: Side, _ quantity: String, at price: String,
        tradeId: String, status: OrderStatus = .filled, fee: String = "0", eventNumber: Int = 2
    ) -> ExecutionReport {
        ExecutionReport(
            clientOrderId: clientOrderId, venueOrderId: "V", intentId: "", strategy: "test",
            instrument: instrument, side: side, execType: status == .filled ? .fill : .partialFill,
            orderStatus: status, lastQuantity: qty(quantity), lastPrice: px(price),
            cumulativeQuantity: qty(quantity), leavesQuantity: .zero, averagePrice: px(price),
            fee: usd(fee), feeCurrency: "USDT", liquidity: .taker, tradeId: tradeId,
            eventNumber: eventNumber, timeNs: 5)
    }

    func terminal(_ clientOrderId: String, _ side: Side, _ execType: ExecType, status: OrderStatus) -> ExecutionReport {
        ExecutionReport(
            clientOrderId: clientOrderId, venueOrderId: "V", intentId: "", strategy: "test",
            instrument: instrument, side: side, execType: execType, orderStatus: status,
            lastQuantity: .zero, lastPrice: .zero, cumulativeQuantity: .zero, leavesQuantity: .zero,
            averagePrice: .zero, fee: .zero, feeCurrency: "USDT", liquidity: .none, tradeId: "",
            reason: OrderReason(.canceled), eventNumber: 3, timeNs: 6)
    }
}
