import TradewindBus
import TradewindWire

/// One example of every Envelope payload case, each on a topic of its own family.
enum PayloadFixtures {
    static let instrument = "SIM:BTCUSDT"

    static func decimal(_ units: Int64, scale: UInt32 = 2) -> Tradewind_V1_Decimal {
        var value = Tradewind_V1_Decimal()
        value.units = units
        value.scale = scale
        return value
    }

    static func quote(bid: Int64 = 6_425_012, ask: Int64 = 6_425_100) -> Tradewind_V1_Envelope.OneOf_Payload {
        var quote = Tradewind_V1_Quote()
        quote.instrument = instrument
        quote.bidPrice = decimal(bid)
        quote.bidSize = decimal(150, scale: 3)
        quote.askPrice = decimal(ask)
        quote.askSize = decimal(-7, scale: 3)
        return .quote(quote)
    }

    static func executionReport() -> Tradewind_V1_Envelope.OneOf_Payload {
        var report = Tradewind_V1_ExecutionReport()
        report.clientOrderID = "c-1"
        report.venueOrderID = "v-1"
        report.intentID = "i-1"
        report.strategy = "ema"
        report.instrument = instrument
        report.side = .buy
        report.execType = .partialFill
        report.orderStatus = .partiallyFilled
        report.lastQuantity = decimal(5, scale: 3)
        report.lastPrice = decimal(6_425_050)
        report.fee = decimal(3, scale: 4)
        report.feeCurrency = "USDT"
        report.liquidity = .taker
        report.tradeID = "t-9"
        report.eventNumber = 2
        return .executionReport(report)
    }

    /// Every payload case (all 13), with a topic that may carry it.
    static func all() -> [(topic: String, payload: Tradewind_V1_Envelope.OneOf_Payload)] {
        var trade = Tradewind_V1_Trade()
        trade.instrument = instrument
        trade.price = decimal(6_425_000)
        trade.size = decimal(12, scale: 3)
        trade.aggressor = .sell
        trade.tradeID = "T-1"

        var level = Tradewind_V1_BookLevel()
        level.price = decimal(6_424_900)
        level.size = decimal(0, scale: 3)
        var book = Tradewind_V1_BookUpdate()
        book.instrument = instrument
        book.snapshot = true
        book.bids = [level, level]
        book.asks = [level]

        var bar = Tradewind_V1_Bar()
        bar.instrument = instrument
        bar.startTimeNs = 1_700_000_000_000_000_000
        bar.intervalSeconds = 60
        bar.open = decimal(1)
        bar.high = decimal(3)
        bar.low = decimal(-1)
        bar.close = decimal(2)
        bar.volume = decimal(1_000, scale: 3)
        bar.tradeCount = 42

        var signal = Tradewind_V1_Signal()
        signal.strategy = "ema"
        signal.instrument = instrument
        signal.name = "ema_spread"
        signal.value = decimal(-125, scale: 4)
        signal.direction = -1

        var intent = Tradewind_V1_OrderIntent()
        intent.intentID = "i-1"
        intent.strategy = "ema"
        intent.instrument = instrument
        intent.side = .buy
        intent.orderType = .limit
        intent.timeInForce = .ioc
        intent.quantity = decimal(10, scale: 3)
        intent.limitPrice = decimal(6_425_000)

        var approved = Tradewind_V1_ApprovedOrder()
        approved.intentID = "i-1"
        approved.clientOrderID = "c-1"
        approved.strategy = "ema"
        approved.instrument = instrument
        approved.side = .sell
        approved.orderType = .market
        approved.timeInForce = .gtc
        approved.quantity = decimal(10, scale: 3)

        var denial = Tradewind_V1_RiskDenial()
        denial.intentID = "i-2"
        denial.strategy = "ema"
        denial.instrument = instrument
        denial.reasonCode = "MAX_ORDER_NOTIONAL"
        denial.detail = "notional above limit"
        denial.limit = decimal(100_000)
        denial.observed = decimal(250_000)

        var state = Tradewind_V1_TradingStateChange()
        state.previous = .active
        state.current = .halted
        state.reason = "kill switch"

        var position = Tradewind_V1_Position()
        position.instrument = instrument
        position.quantity = decimal(-5, scale: 3)
        position.averagePrice = decimal(6_425_000)
        position.markPrice = decimal(6_425_100)
        position.realizedPnl = decimal(12)
        position.unrealizedPnl = decimal(-3)
        position.fees = decimal(1)
        position.fillCount = 3

        var pnl = Tradewind_V1_PortfolioPnl()
        pnl.realizedPnl = decimal(12)
        pnl.unrealizedPnl = decimal(-3)
        pnl.fees = decimal(1)
        pnl.totalPnl = decimal(9)
        pnl.peakTotalPnl = decimal(20)
        pnl.drawdown = decimal(11)
        pnl.grossExposure = decimal(32_125_500)
        pnl.openPositions = 1

        var heartbeat = Tradewind_V1_Heartbeat()
        heartbeat.service = "fixture"
        heartbeat.version = "0.0.1"
        heartbeat.startedAtNs = 1_700_000_000_000_000_000
        heartbeat.messagesPublished = 77

        return [
            (BusTopic.quote(instrument), quote()),
            (BusTopic.trade(instrument), .trade(trade)),
            (BusTopic.book(instrument), .book(book)),
            (BusTopic.bar(instrument), .bar(bar)),
            (BusTopic.signal(strategy: "ema", instrument: instrument), .signal(signal)),
            (BusTopic.intent(strategy: "ema"), .intent(intent)),
            (BusTopic.riskOrder, .approvedOrder(approved)),
            (BusTopic.riskDenied, .riskDenial(denial)),
            (BusTopic.riskState, .tradingState(state)),
            (BusTopic.executionReport(instrument), executionReport()),
            (BusTopic.position(instrument), .position(position)),
            (BusTopic.portfolioPnl, .portfolioPnl(pnl)),
            ("hb.fixture", .heartbeat(heartbeat)),
            (BusTopic.control("kill"), control()),
        ]
    }

    /// An operator's kill command, as a control ingress receives it.
    static func control() -> Tradewind_V1_Envelope.OneOf_Payload {
        var command = Tradewind_V1_ControlCommand()
        command.action = .kill
        command.reason = "fixture \u{1F6D1} \"quoted\""
        command.token = "secret-token"
        command.issuedBy = "ops@host"
        return .control(command)
    }

    /// A serialised envelope, for raw-socket tests.
    static func envelopeBytes(
        publisher: String, sequence: UInt64, payload: Tradewind_V1_Envelope.OneOf_Payload, publishTimeNs: Int64 = 0
    ) throws -> [UInt8] {
        var envelope = Tradewind_V1_Envelope()
        envelope.publisher = publisher
        envelope.sequence = sequence
        envelope.eventTimeNs = 1
        envelope.publishTimeNs = publishTimeNs == 0 ? WallClock.nowNs() : publishTimeNs
        envelope.payload = payload
        return try envelope.serializedBytes()
    }

    static func heartbeat(service: String) -> Tradewind_V1_Envelope.OneOf_Payload {
        var heartbeat = Tradewind_V1_Heartbeat()
        heartbeat.service = service
        return .heartbeat(heartbeat)
    }
}
