import TradewindCore

/// Groups Tardis `incremental_book_L2` rows into book updates. Rows of one exchange message share
/// the instrument, `timestamp` and `local_timestamp` and form one delta; consecutive
/// `is_snapshot=true` rows of an instrument form one snapshot (each file starts with one, and a
/// new one follows a reconnect). A later row for a price replaces an earlier one of the same
/// update; levels come out bids then asks, best first. An update's time and exchange time are its
/// latest row's.
struct TardisBookAssembler {
    struct Row: Sendable, Hashable {
        var instrument: InstrumentId
        var exchangeUs: Int64
        var localUs: Int64
        var timeNs: Int64
        var snapshot: Bool
        var isBid: Bool
        var level: BookLevel
        var line: Int
    }

    private struct Group {
        var first: Row
        var timeNs: Int64
        var exchangeUs: Int64
        var bids: [Int64: Quantity] = [:]
        var asks: [Int64: Quantity] = [:]

        func takes(_ row: Row) -> Bool {
            guard row.instrument == first.instrument, row.snapshot == first.snapshot else { return false }
            return row.snapshot || (row.exchangeUs == first.exchangeUs && row.localUs == first.localUs)
        }

        var update: ImportedEvent {
            let bidLevels = bids.sorted { $0.key > $1.key }.map { BookLevel(price: Price(units: $0.key), size: $0.value) }
            let askLevels = asks.sorted { $0.key < $1.key }.map { BookLevel(price: Price(units: $0.key), size: $0.value) }
            let book = BookUpdate(
                instrument: first.instrument, snapshot: first.snapshot, bids: bidLevels, asks: askLevels, timeNs: timeNs,
                exchangeTimeNs: exchangeUs * 1_000)
            return ImportedEvent(event: .book(book), line: first.line)
        }
    }

    private var current: Group?

    /// Adds a row; returns the update it closes when it starts a new one.
    mutating func add(_ row: Row) -> ImportedEvent? {
        var closed: ImportedEvent?
        if let group = current, !group.takes(row) {
            closed = group.update
            current = nil
        }
        if current == nil { current = Group(first: row, timeNs: row.timeNs, exchangeUs: row.exchangeUs) }
        current!.timeNs = max(current!.timeNs, row.timeNs)
        current!.exchangeUs = max(current!.exchangeUs, row.exchangeUs)
        if row.isBid {
            current!.bids[row.level.price.units] = row.level.size
        } else {
            current!.asks[row.level.price.units] = row.level.size
        }
        return closed
    }

    /// The update still open at the end of the file.
    mutating func finish() -> ImportedEvent? {
        defer { current = nil }
        return current?.update
    }
}
