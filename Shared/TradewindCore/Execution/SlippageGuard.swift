/// Protects MARKET orders from filling far from the market: the collar is the last quote's mid
/// × (1 ± collarBps / 10 000), rounded to the tick toward the mid (buy: down, sell: up).
public struct SlippageGuard: Sendable, Hashable, Codable {
    /// What to do with a MARKET order.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// Refuse the order if the far touch (ask for a buy, bid for a sell) is beyond the collar.
        case reject
        /// Send it as an IOC LIMIT at the collar price instead.
        case convertToLimit
    }

    /// Distance of the collar from the mid, in basis points (1...9999).
    public let collarBps: Int
    public let action: Action

    public init(collarBps: Int, action: Action) throws(ConfigurationError) {
        self.collarBps = collarBps
        self.action = action
        try validate()
    }

    /// Checks the collar, naming the key.
    public func validate() throws(ConfigurationError) {
        guard (1...9_999).contains(collarBps) else {
            throw ConfigurationError(key: "slippageGuard.collarBps", value: "\(collarBps)", reason: "must be within 1...9999")
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case collarBps, action }

    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.stringValue), section: "slippage guard")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        collarBps = try container.decode(Int.self, forKey: .collarBps)
        action = try container.decode(Action.self, forKey: .action)
        try validate()
    }

    /// The collar price of `quote` for `side` on a `tick` grid: exact (no intermediate rounding),
    /// rounded toward the mid. Nil if the quote is not two-sided or the collar is not positive.
    public func collarPrice(side: Side, quote: Quote, tick: Price) -> Price? {
        guard quote.isTwoSided else { return nil }
        let step = Int128(max(tick.units, 1))
        let factor = Int128(10_000 + (side == .buy ? collarBps : -collarBps))
        // collar = (bid + ask) / 2 × factor / 10 000, in units of `step`
        let numerator = (Int128(quote.bid.units) + Int128(quote.ask.units)) * factor
        let denominator = 20_000 * step
        let steps = side == .buy ? numerator / denominator : (numerator + denominator - 1) / denominator
        guard let units = Int64(exactly: steps * step), units > 0 else { return nil }
        return Price(units: units)
    }

    /// The guard's decision for a MARKET order on `side` at `orderTimeNs`.
    public func evaluate(
        side: Side, quote: Quote?, orderTimeNs: Int64, maxQuoteAgeNs: Int64, tick: Price
    ) -> SlippageDecision {
        guard let quote, quote.isTwoSided else {
            return .reject(reason: OrderReason(.noMarketPrice, quote == nil ? "no quote" : "quote is not two-sided"))
        }
        let (age, overflow) = orderTimeNs.subtractingReportingOverflow(quote.timeNs)
        guard !overflow, age <= maxQuoteAgeNs else {
            return .reject(reason: OrderReason(
                .staleMarketPrice, "quote at \(quote.timeNs) ns, order at \(orderTimeNs) ns, max age \(maxQuoteAgeNs) ns"))
        }
        guard let collar = collarPrice(side: side, quote: quote, tick: tick) else {
            return .reject(reason: OrderReason(.slippageGuard, "no positive collar price at mid \(quote.mid)"))
        }
        switch action {
        case .reject:
            let touch = quote.touch(for: side)
            let beyond = side == .buy ? touch > collar : touch < collar
            guard beyond else { return .pass }
            return .reject(reason: OrderReason(
                .slippageGuard, "touch=\(touch) collar=\(collar) mid=\(quote.mid) collar_bps=\(collarBps)"))
        case .convertToLimit:
            let reason = OrderReason(.slippageGuardConverted, "price=\(collar) mid=\(quote.mid) collar_bps=\(collarBps)")
            return .convert(OrderConversion(
                orderType: .limit, timeInForce: .ioc, limitPrice: collar, referencePrice: quote.mid, reason: reason))
        }
    }
}

/// What the slippage guard decided for one MARKET order.
public enum SlippageDecision: Sendable, Hashable {
    /// Send the order unchanged.
    case pass
    /// Refuse it before it reaches the venue, with this (local) reason.
    case reject(reason: OrderReason)
    /// Send it on these terms instead.
    case convert(OrderConversion)
}
