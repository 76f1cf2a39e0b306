import TradewindCore

extension DatasetWriter {
    /// Encodes `event` as its record(s): a quote or a trade is one record, a book update one
    /// record per level (bids then asks, first and last flagged), a bar two records.
    func write(_ event: MarketEvent, instrument: UInt16, timeNs: Int64) throws(DatasetError) {
        switch event {
        case .quote(let quote):
            let (flags, aux) = Self.exchangeTime(quote.exchangeTimeNs, timeNs: timeNs)
            try put(DatasetRecord(
                timeNs: timeNs, kind: .quote, flags: flags, instrument: instrument, aux: aux,
                quote.bid.units, quote.bidSize.units, quote.ask.units, quote.askSize.units))
            count { $0.quote += 1 }
        case .trade(let trade):
            guard let tradeId = Int64(trade.tradeId), String(tradeId) == trade.tradeId else {
                throw .nonNumericTradeId(instrument: trade.instrument.description, tradeId: trade.tradeId)
            }
            let (exchangeFlag, aux) = Self.exchangeTime(trade.exchangeTimeNs, timeNs: timeNs)
            let flags = exchangeFlag | (trade.aggressor == .sell ? DatasetRecord.Flag.aggressorSell : 0)
            try put(DatasetRecord(
                timeNs: timeNs, kind: .trade, flags: flags, instrument: instrument, aux: aux,
                trade.price.units, trade.size.units, tradeId))
            count { $0.trade += 1 }
        case .book(let book):
            try write(book, instrument: instrument, timeNs: timeNs)
        case .bar(let bar):
            guard let interval = UInt32(exactly: bar.intervalSeconds) else {
                throw .valueOutOfRange(field: "bar interval seconds", value: "\(bar.intervalSeconds)")
            }
            try put(DatasetRecord(
                timeNs: timeNs, kind: .bar, instrument: instrument, aux: interval,
                bar.open.units, bar.high.units, bar.low.units, bar.close.units))
            try put(DatasetRecord(
                timeNs: timeNs, kind: .barContinuation, instrument: instrument, aux: interval,
                bar.volume.units, Int64(bar.tradeCount), bar.startTimeNs))
            count { $0.bar += 1 }
        }
    }

    private func write(_ book: BookUpdate, instrument: UInt16, timeNs: Int64) throws(DatasetError) {
        let number = nextBookUpdateNumber(instrument)
        let (exchangeFlag, aux) = Self.exchangeTime(book.exchangeTimeNs, timeNs: timeNs)
        let base = exchangeFlag | (book.snapshot ? DatasetRecord.Flag.snapshot : 0)
        let total = book.bids.count + book.asks.count
        guard total > 0 else {
            let flags = base | DatasetRecord.Flag.firstLevel | DatasetRecord.Flag.lastLevel | DatasetRecord.Flag.emptyUpdate
            try put(DatasetRecord(timeNs: timeNs, kind: .bookLevel, flags: flags, instrument: instrument, aux: aux, 0, 0, number))
            count { $0.bookUpdate += 1; $0.bookLevel += 1 }
            return
        }
        var position = 0
        for (levels, side) in [(book.bids, UInt8(0)), (book.asks, DatasetRecord.Flag.ask)] {
            for level in levels {
                var flags = base | side
                if position == 0 { flags |= DatasetRecord.Flag.firstLevel }
                if position == total - 1 { flags |= DatasetRecord.Flag.lastLevel }
                try put(DatasetRecord(
                    timeNs: timeNs, kind: .bookLevel, flags: flags, instrument: instrument, aux: aux,
                    level.price.units, level.size.units, number))
                position += 1
            }
        }
        count { $0.bookUpdate += 1; $0.bookLevel += Int64(total) }
    }

    /// The flag and `aux` that store an event's exchange time, if it has one that fits.
    private static func exchangeTime(_ exchangeTimeNs: Int64?, timeNs: Int64) -> (UInt8, UInt32) {
        guard let exchangeTimeNs, let aux = DatasetRecord.exchangeOffset(timeNs: timeNs, exchangeTimeNs: exchangeTimeNs) else { return (0, 0) }
        return (DatasetRecord.Flag.exchangeTime, aux)
    }
}
