extension RiskEngine {
    /// The first check `intent` fails, in the order of `RiskDenialReason`, or nil to approve.
    func check(_ intent: OrderIntent) -> RiskDenial? {
        func deny(_ reason: RiskDenialReason, _ detail: String, limit: String? = nil, observed: String? = nil) -> RiskDenial {
            RiskDenial(
                intentId: intent.intentId, strategy: intent.strategy, instrument: intent.instrument,
                reason: reason, detail: detail, limit: limit, observed: observed, timeNs: intent.timeNs)
        }
        guard !intent.intentId.isEmpty, !intent.strategy.isEmpty else {
            return deny(.invalidIntent, "intent id and strategy must be non-empty")
        }
        guard !killSwitchEngaged else {
            return deny(.killSwitch, "kill switch engaged: \(killSwitchReason)")
        }
        guard tradingState != .halted else {
            return deny(.tradingHalted, "trading is halted")
        }
        let clientOrderId = ClientOrderId.from(intentId: intent.intentId)
        guard !finishedOrders.contains(clientOrderId) else {
            return deny(.duplicateIntent, "intent \(intent.intentId) already produced order \(clientOrderId)")
        }
        guard limits.allowedInstruments.contains(intent.instrument), let instrument = limits.instruments[intent.instrument],
              let maxQuantity = limits.maxOrderQuantity[intent.instrument]
        else {
            return deny(.instrumentNotAllowed, "instrument \(intent.instrument) is not allowed")
        }
        let quantity = intent.quantity
        guard instrument.isValidQuantity(quantity) else {
            return deny(
                .invalidQuantity,
                "quantity \(quantity) must be > 0, >= \(instrument.minQuantity) and a multiple of lot \(instrument.lotSize)",
                limit: "\(instrument.lotSize)", observed: "\(quantity)")
        }
        guard quantity <= maxQuantity else {
            return deny(
                .maxOrderQuantity, "order quantity \(quantity) exceeds \(maxQuantity)",
                limit: "\(maxQuantity)", observed: "\(quantity)")
        }
        if intent.orderType == .limit {
            guard let limitPrice = intent.limitPrice, instrument.isValidPrice(limitPrice) else {
                return deny(
                    .invalidPrice, "limit price \(intent.limitPrice.map { "\($0)" } ?? "none") must be > 0 and a multiple of tick \(instrument.tickSize)",
                    limit: "\(instrument.tickSize)", observed: intent.limitPrice.map { "\($0)" })
            }
        }
        guard pendingOrders.count < limits.maxOpenOrders else {
            return deny(
                .maxOpenOrders, "\(pendingOrders.count) orders already pending, at most \(limits.maxOpenOrders) allowed",
                limit: "\(limits.maxOpenOrders)", observed: "\(pendingOrders.count + 1)")
        }
        if let breaker = circuitBreakers[intent.instrument.venue], !breaker.admitsOrder {
            let why = breaker.probeClientOrderId.map { "half-open, probe \($0) in flight" } ?? "open"
            return deny(.circuitOpen, "venue \(intent.instrument.venue) circuit is \(why)")
        }
        let position = positions[intent.instrument] ?? .zero
        let pendingSameSide = pendingQuantity(intent.instrument, side: intent.side)
        let sameSideTotal = (try? quantity.adding(pendingSameSide)) ?? .max
        let reduces = position.signum == -intent.side.sign && sameSideTotal <= position.absoluteValue
        if tradingState == .reducing, !reduces {
            return deny(
                .tradingReducing, "trading is reducing: only orders that shrink the \(position) position without flipping it pass",
                limit: "\(position.absoluteValue)", observed: "\(sameSideTotal)")
        }
        if !reduces, let breach = dailyLossBreach() {
            return deny(.dailyLossLimit, "\(breach.detail); only reducing orders pass", limit: breach.limit, observed: breach.observed)
        }
        if !reduces, let breach = drawdownBreach() {
            return deny(.maxDrawdown, "\(breach.detail); only reducing orders pass", limit: breach.limit, observed: breach.observed)
        }
        guard let quote = lastQuotes[intent.instrument], quote.isTwoSided else {
            return deny(.noMarketPrice, "no two-sided quote for \(intent.instrument) to price the order")
        }
        let age = RiskArithmetic.elapsed(from: quote.timeNs, to: intent.timeNs)
        guard age <= limits.maxQuoteAgeNs else {
            return deny(
                .staleQuote, "last quote for \(intent.instrument) is \(age) ns old, limit \(limits.maxQuoteAgeNs) ns",
                limit: RiskArithmetic.seconds(limits.maxQuoteAgeNs), observed: RiskArithmetic.seconds(age))
        }
        let mid = quote.mid
        let price: Price
        if intent.orderType == .limit, let limitPrice = intent.limitPrice {
            let deviation = (Int128(limitPrice.units) - Int128(mid.units)).magnitude
            guard deviation * 10_000 <= UInt128(limits.priceCollarBps) * UInt128(mid.units) else {
                let observedBps = DecimalMath.divideHalfEven(
                    Int128(deviation) * 10_000 * Int128(DecimalMath.unitsPerWhole), Int128(mid.units))
                return deny(
                    .priceCollar, "limit price \(limitPrice) is more than \(limits.priceCollarBps) bps from mid \(mid)",
                    limit: "\(limits.priceCollarBps)", observed: "\(Money.saturating(observedBps))")
            }
            price = limitPrice
        } else {
            price = quote.touch(for: intent.side)
        }
        guard let notional = try? price.notional(quantity) else {
            return deny(.maxOrderNotional, "notional \(quantity) x \(price) overflows", limit: "\(limits.maxOrderNotional)")
        }
        guard notional <= limits.maxOrderNotional else {
            return deny(
                .maxOrderNotional, "order notional \(notional) exceeds \(limits.maxOrderNotional)",
                limit: "\(limits.maxOrderNotional)", observed: "\(notional)")
        }
        let maxPosition = limits.positionLimit(for: intent.instrument)
        let worstCase = try? position.adding(intent.side.signed(sameSideTotal))
        guard let worstCase, worstCase.units != .min, worstCase.absoluteValue <= maxPosition else {
            return deny(
                .maxPosition, "worst-case position \(worstCase.map { "\($0)" } ?? "overflow") exceeds ±\(maxPosition)",
                limit: "\(maxPosition)", observed: worstCase.map { "\($0)" })
        }
        let exposure = grossExposureUnits(adding: ExposureOrder(instrument: intent.instrument, side: intent.side, quantity: quantity, price: price))
        if exposure.projected > Int128(limits.maxGrossExposure.units), exposure.projected > exposure.current {
            let projected = Money.saturating(exposure.projected)
            return deny(
                .maxGrossExposure, "worst-case gross exposure \(projected) would exceed \(limits.maxGrossExposure)",
                limit: "\(limits.maxGrossExposure)", observed: "\(projected)")
        }
        let strategyRate = limits.strategyRateLimit
        let strategyBucket = strategyBuckets[intent.strategy] ?? TokenBucket(full: strategyRate, timeNs: intent.timeNs)
        guard strategyBucket.canTake(at: intent.timeNs, rate: strategyRate) else {
            return deny(
                .rateLimitStrategy, "strategy \(intent.strategy) exceeds its order rate (\(strategyRate))",
                limit: "\(strategyRate.burst)", observed: "\(strategyBucket.tokens(at: intent.timeNs, rate: strategyRate))")
        }
        let globalRate = limits.globalRateLimit
        let global = globalBucket ?? TokenBucket(full: globalRate, timeNs: intent.timeNs)
        guard global.canTake(at: intent.timeNs, rate: globalRate) else {
            return deny(
                .rateLimitGlobal, "all strategies together exceed the order rate (\(globalRate))",
                limit: "\(globalRate.burst)", observed: "\(global.tokens(at: intent.timeNs, rate: globalRate))")
        }
        return nil
    }

    /// Takes one token from the strategy's and the global bucket (only for an approved order).
    mutating func takeTokens(strategy: String, at timeNs: Int64) {
        var bucket = strategyBuckets[strategy] ?? TokenBucket(full: limits.strategyRateLimit, timeNs: timeNs)
        bucket.take(at: timeNs, rate: limits.strategyRateLimit)
        strategyBuckets[strategy] = bucket
        var global = globalBucket ?? TokenBucket(full: limits.globalRateLimit, timeNs: timeNs)
        global.take(at: timeNs, rate: limits.globalRateLimit)
        globalBucket = global
    }

    /// Forgets strategy buckets that are full by `timeNs` (a full bucket equals a fresh one), so
    /// memory stays bounded by the strategies active within one refill period.
    mutating func forgetFullBuckets(at timeNs: Int64) {
        let rate = limits.strategyRateLimit
        let capacity = TokenBucket.capacity(rate)
        for (strategy, bucket) in strategyBuckets where bucket.level(at: timeNs, rate: rate) >= capacity {
            strategyBuckets[strategy] = nil
        }
    }
}
