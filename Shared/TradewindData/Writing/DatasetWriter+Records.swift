import TradewindCore

extension DatasetWriter {
    /// Encodes `event` as its record(s): a quote or a trade is one record, a book update one
    /// record per level (bids then asks, first and last flagged), a bar two records.
    func write(_ event: MarketEvent, instrument: UInt16, timeNs: Int64) throws(DatasetError) {
        switch event {
        case .quote(let quote):
            try put(DatasetRecord(
                timeNs: timeNs, kind: .quote, instrument: instrument,
                quote.bid.units, quote.bidSize.units, quote.ask.units, quote.askSize.units))
            count { $0.quote += 1 }
        case .trade(let trade):
            guard let tradeId = Int64(trade.tradeId), String(tradeId) == trade.tradeId else {
                throw .nonNumericTradeId(instrument: trade.instrument.description, tradeId: trade.tradeId)
            }
            let flags = trade.aggressor == .sell ? DatasetRecord.Flag.aggressorSell : 0
            try put(DatasetRecord(
                timeNs: timeNs, kind: .trade, flags: flags, instrument: instrument,
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
        let base = book.snapshot ? DatasetRecord.Flag.snapshot : 0
        let total = book.bids.count + book.asks.count
        guard total > 0 else {
            let flags = base | DatasetRecord.Flag.firstLevel | DatasetRecord.Flag.lastLevel | DatasetRecord.Flag.emptyUpdate
            try put(DatasetRecord(timeNs: timeNs, kind: .bookLevel, flags: flags, instrument: instrument, 0, 0, number))
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
                    timeNs: timeNs, kind: .bookLevel, flags: flags, instrument: instrument,
                    level.price.units, level.size.units, number))
                position += 1
            }
        }
        count { $0.bookUpdate += 1; $0.bookLevel += Int64(total) }
    }
}
