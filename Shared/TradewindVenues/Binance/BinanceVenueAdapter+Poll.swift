import TradewindCore

/// Which open orders were polled when, so each `poll` call queries the least recently polled.
struct PollBook: Sendable {
    private var lastPolled: [String: UInt64] = [:]
    private var tick: UInt64 = 0

    /// Up to `limit` of `orders`, never-polled first, then least recently polled; marks them polled
    /// and forgets orders no longer given.
    mutating func select(_ orders: [Order], limit: Int) -> [Order] {
        let ids = Set(orders.map(\.clientOrderId))
        lastPolled = lastPolled.filter { ids.contains($0.key) }
        let chosen = orders.enumerated()
            .sorted { (lastPolled[$0.element.clientOrderId] ?? 0, $0.offset) < (lastPolled[$1.element.clientOrderId] ?? 0, $1.offset) }
            .prefix(limit)
            .map(\.element)
        for order in chosen {
            tick += 1
            lastPolled[order.clientOrderId] = tick
        }
        return chosen
    }
}

extension BinanceVenueAdapter {
    /// Queries up to `maxOrdersPerPoll` of the open orders on configured instruments and reports
    /// what changed at the venue relative to each order: the acceptance if the engine never saw
    /// it, fills beyond the engine's filled quantity, then the cancel/expiry/rejection that ended
    /// it; `.notFound` for an order the venue does not know.
    public func poll(openOrders: [Order]) async throws(VenueError) -> [VenueEvent] {
        let pollable = openOrders.filter { order in
            order.isOpen && order.instrument.venue == name && configuration.instruments[order.instrument] != nil
        }
        guard !pollable.isEmpty else { return [] }
        let batch = pollBook.withLock { $0.select(pollable, limit: configuration.maxOrdersPerPoll) }
        var events: [VenueEvent] = []
        for order in batch {
            events += try await changes(of: order)
        }
        return events
    }

    private func changes(of order: Order) async throws(VenueError) -> [VenueEvent] {
        let instrument = try mapping.instrument(order.instrument)
        let id = order.clientOrderId
        let venueOrder: BinanceOrder
        do throws(VenueError) {
            venueOrder = try await client.order(symbol: instrument.id.symbol, clientOrderId: id)
        } catch {
            if case .notFound = error { return [.notFound(clientOrderId: id, timeNs: client.venueNowNs())] }
            throw error
        }
        var events: [VenueEvent] = []
        if order.venueOrderId == nil, venueOrder.status != .rejected {
            events.append(.accepted(
                clientOrderId: id, venueOrderId: String(venueOrder.orderId),
                timeNs: BinanceEventMapping.nanoseconds(venueOrder.time)))
        }
        if venueOrder.executedQty > order.filledQuantity {
            let fills = try await orderFills(orderId: venueOrder.orderId, clientOrderId: id, instrument: instrument)
            events += Self.unseen(fills, filledQuantity: order.filledQuantity)
        }
        let time = BinanceEventMapping.nanoseconds(venueOrder.updateTime)
        if let ending = mapping.ending(status: venueOrder.status, clientOrderId: id, timeNs: time) {
            events.append(ending)
        }
        return events
    }

    /// Drops the oldest fills when they add up exactly to what the engine has already applied;
    /// otherwise keeps them all (the engine ignores fills it has seen by trade id).
    static func unseen(_ fills: [VenueEvent], filledQuantity: Quantity) -> [VenueEvent] {
        var applied = Quantity.zero
        var skipped = 0
        for case .filled(_, _, _, let quantity, _, _, _, _, _) in fills {
            guard let next = try? applied.adding(quantity), next <= filledQuantity else { break }
            applied = next
            skipped += 1
        }
        return applied == filledQuantity ? Array(fills.dropFirst(skipped)) : fills
    }
}
