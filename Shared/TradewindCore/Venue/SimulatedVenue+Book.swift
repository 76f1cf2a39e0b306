/// The simulated venue over an L2 book (docs/SIMULATED_VENUE.md, "With an L2 book"). Once an
/// instrument has book updates, its quotes no longer fill anything:
/// - a taker walks the opposite side best level first, one fill per level at that level's price,
///   up to its limit (a market order: any price); what the levels do not cover is canceled (IOC,
///   market) or rests (GTC). Taken size stays taken until an update sets that level again;
/// - a resting order joins the queue behind the size displayed at its price at that moment
///   (`queueAhead`). A trade by the opposite aggressor at its price first consumes the queue ahead,
///   then fills the order; a trade through its price means the level emptied, so nothing is ahead;
///   one trade's size is shared among our orders in price-time priority. A decrease of the level
///   that trades since its last change do not explain is taken as cancellations ahead of us; the
///   queue ahead never exceeds the displayed size;
/// - an order whose price the opposite best (with size left) reaches or passes fills in full.
/// Resting orders fill as makers, at their limit price.
extension SimulatedVenue {
    /// True while the venue keeps an L2 book for `instrument` (its orders follow the book).
    public func hasBook(_ instrument: InstrumentId) -> Bool { books[instrument] != nil }

    /// The venue's book of `instrument`, if it keeps one.
    public func book(for instrument: InstrumentId) -> VenueBook? { books[instrument] }

    /// Applies an L2 update (the first one starts the instrument's book; after a refused update or
    /// `dropBook` only a snapshot does), moves the queues of resting orders at the levels it
    /// changed, and fills the orders the opposite side now reaches.
    public mutating func onBook(_ update: BookUpdate) -> [VenueEvent] {
        let id = update.instrument
        if voidedBooks.contains(id), !update.snapshot { return [] }
        let isNew = books[id] == nil
        if isNew { books[id] = VenueBook(instrument: id) }
        guard resting.contains(where: { $0.instrument == id }) else {
            do {
                try books[id]!.apply(update)
                voidedBooks.remove(id)
            } catch {
                dropBook(id)
            }
            return []
        }
        let bids = resting.indices.filter { resting[$0].instrument == id && resting[$0].side == .buy && resting[$0].queueAhead != nil }
        let asks = resting.indices.filter { resting[$0].instrument == id && resting[$0].side == .sell && resting[$0].queueAhead != nil }
        let bidPrices = bids.map { resting[$0].limitPrice }
        let askPrices = asks.map { resting[$0].limitPrice }
        let bidsBefore = books[id]!.sizes(.bid, at: bidPrices)
        let asksBefore = books[id]!.sizes(.ask, at: askPrices)
        do {
            try books[id]!.apply(update)
        } catch {
            dropBook(id)
            return []
        }
        voidedBooks.remove(id)
        for (index, change) in zip(bids, books[id]!.changes(.bid, at: bidPrices, before: bidsBefore)) { moveQueue(index, change) }
        for (index, change) in zip(asks, books[id]!.changes(.ask, at: askPrices, before: asksBefore)) { moveQueue(index, change) }
        if isNew {
            for index in resting.indices where resting[index].instrument == id {
                let order = resting[index]
                resting[index].queueAhead = books[id]!.displayed(BookSide(resting: order.side), at: order.limitPrice)
            }
        }
        return fillCrossed(id, timeNs: update.timeNs)
    }

    /// A public trade: with a book, it moves the queues of the resting orders it reaches and fills
    /// them once nothing is ahead; without one it changes nothing.
    public mutating func onTrade(_ trade: Trade) -> [VenueEvent] {
        guard books[trade.instrument] != nil, trade.size > .zero else { return [] }
        let side = trade.aggressor.opposite
        let reached = resting.indices.filter { index in
            let order = resting[index]
            guard order.instrument == trade.instrument, order.side == side, order.queueAhead != nil else { return false }
            return side == .buy ? trade.price <= order.limitPrice : trade.price >= order.limitPrice
        }
        guard !reached.isEmpty else { return [] }
        let priority = reached.sorted { first, second in
            let (a, b) = (resting[first].limitPrice, resting[second].limitPrice)
            if a != b { return side == .buy ? a > b : a < b }
            return first < second
        }
        var left = trade.size
        var events: [VenueEvent] = []
        var filled: [Int] = []
        for index in priority {
            var order = resting[index]
            // a trade through the price emptied the level: nothing is ahead any more
            var ahead = order.limitPrice == trade.price ? order.queueAhead ?? .zero : .zero
            let consumed = min(ahead, left)
            ahead -= consumed
            let quantity = min(order.remaining, left - consumed)
            order.queueAhead = ahead
            if quantity > .zero {
                events.append(execute(
                    clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId, instrument: order.instrument,
                    side: order.side, quantity: quantity, price: order.limitPrice,
                    rate: makerFee, liquidity: .maker, timeNs: trade.timeNs))
                order.remaining -= quantity
                left -= quantity
            }
            resting[index] = order
            if order.remaining.isZero { filled.append(index) }
        }
        if reached.contains(where: { resting[$0].limitPrice == trade.price }) {
            books[trade.instrument]!.recordTrade(BookSide(resting: side), at: trade.price, size: trade.size)
        }
        for index in filled.sorted(by: >) { releaseLevel(of: resting.remove(at: index)) }
        return events
    }

    /// Forgets the book of `instrument` (its publisher's stream had a gap): its orders trade against
    /// quotes again until a snapshot starts a new book (deltas before it are ignored).
    public mutating func dropBook(_ instrument: InstrumentId) {
        books[instrument] = nil
        voidedBooks.insert(instrument)
        for index in resting.indices where resting[index].instrument == instrument { resting[index].queueAhead = nil }
    }

    /// Takes what `order` can get from its instrument's book as a taker, one fill per level, and
    /// returns what is left of it.
    mutating func takeFromBook(_ order: ApprovedOrder, venueOrderId: String, timeNs: Int64, into events: inout [VenueEvent]) -> Quantity {
        let limit = order.orderType == .limit ? order.limitPrice : nil
        let levels = books[order.instrument]?.take(order.quantity, from: BookSide(takenBy: order.side), limit: limit) ?? []
        var remaining = order.quantity
        for level in levels {
            events.append(execute(
                clientOrderId: order.clientOrderId, venueOrderId: venueOrderId, instrument: order.instrument,
                side: order.side, quantity: level.size, price: level.price, rate: takerFee, liquidity: .taker, timeNs: timeNs))
            remaining -= level.size
        }
        return remaining
    }

    /// Forgets the trades remembered at `order`'s price once no order of ours rests there.
    mutating func releaseLevel(of order: RestingOrder) {
        guard books[order.instrument] != nil,
              !resting.contains(where: { $0.instrument == order.instrument && $0.side == order.side && $0.limitPrice == order.limitPrice })
        else { return }
        books[order.instrument]!.forgetTrades(BookSide(resting: order.side), at: order.limitPrice)
    }

    /// Cancellations ahead of the order leave the queue; it never exceeds what is displayed.
    private mutating func moveQueue(_ index: Int, _ change: VenueBook.LevelChange) {
        let ahead = resting[index].queueAhead ?? .zero
        resting[index].queueAhead = min(ahead > change.canceled ? ahead - change.canceled : .zero, change.size)
    }

    /// Fills in full, as makers at their limit, the orders on `instrument` that the opposite side's
    /// best level with size left reaches (a buy at or above the ask, a sell at or below the bid).
    private mutating func fillCrossed(_ instrument: InstrumentId, timeNs: Int64) -> [VenueEvent] {
        guard let depth = books[instrument] else { return [] }
        let ask = depth.bestAvailable(.ask)?.price
        let bid = depth.bestAvailable(.bid)?.price
        var events: [VenueEvent] = []
        var index = 0
        while index < resting.count {
            let order = resting[index]
            let reached = order.side == .buy ? ask.map { $0 <= order.limitPrice } : bid.map { $0 >= order.limitPrice }
            guard order.instrument == instrument, reached ?? false else {
                index += 1
                continue
            }
            events.append(execute(
                clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId, instrument: instrument,
                side: order.side, quantity: order.remaining, price: order.limitPrice,
                rate: makerFee, liquidity: .maker, timeNs: timeNs))
            releaseLevel(of: resting.remove(at: index))
        }
        return events
    }
}
