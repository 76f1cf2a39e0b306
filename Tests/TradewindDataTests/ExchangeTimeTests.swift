import Testing
import TradewindCore
@testable import TradewindData

/// A quote, trade or book update keeps the venue's own time beside its stream time: flag bit 7 and
/// `aux` as the signed difference in microseconds (docs/DATASETS.md).
@Suite struct ExchangeTimeTests {
    typealias F = DatasetFixtures
    static let stream = F.baseNs + 123_456_789

    static func events(exchange: Int64?) -> [MarketEvent] {
        [
            .quote(Quote(instrument: F.btcId, bid: Price("1")!, bidSize: Quantity("1")!, ask: Price("2")!, askSize: Quantity("1")!,
                         timeNs: stream, exchangeTimeNs: exchange)),
            .trade(Trade(instrument: F.btcId, price: Price("1.5")!, size: Quantity("1")!, aggressor: .sell, tradeId: "7",
                         timeNs: stream, exchangeTimeNs: exchange)),
            .book(BookUpdate(instrument: F.ethId, snapshot: false, bids: [BookLevel(price: Price("3")!, size: Quantity("1")!)],
                             asks: [BookLevel(price: Price("4")!, size: .zero)], timeNs: stream, exchangeTimeNs: exchange)),
            .book(BookUpdate(instrument: F.ethId, snapshot: false, bids: [], asks: [], timeNs: stream, exchangeTimeNs: exchange)),
        ]
    }

    /// Before the stream time (the usual lag), after it (a venue clock ahead of ours), equal, none.
    @Test(arguments: [F.baseNs + 100_000_000, F.baseNs + 900_000_000, stream / 1_000 * 1_000, nil] as [Int64?])
    func exchangeTimesReadBackExactlyToTheMicrosecond(exchange: Int64?) throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(Self.events(exchange: exchange), to: directory)
        let read = try F.readAll(directory)
        #expect(read == Self.events(exchange: exchange))
        #expect(read.map(\.exchangeTimeNs) == Array(repeating: exchange, count: 4))
    }

    @Test func recordsCarryTheFlagAndTheSignedMicrosecondDifference() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(Self.events(exchange: F.baseNs + 200_000_000), to: directory)
        var cursor = try DatasetReader(directory: directory).events()
        var records: [DatasetRecord] = []
        while let record = try cursor.nextRecord() { records.append(record) }
        #expect(records.count == 5)
        #expect(records.allSatisfy { $0.has(DatasetRecord.Flag.exchangeTime) })
        // stream 123 456 µs after base, exchange 200 000 µs after: -76 544 µs
        #expect(records.allSatisfy { Int32(bitPattern: $0.aux) == -76_544 })
        #expect(records[1].has(DatasetRecord.Flag.aggressorSell))
        #expect(records[4].has(DatasetRecord.Flag.emptyUpdate))
    }

    @Test func anExchangeTimeTooFarFromTheStreamTimeIsNotStored() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        // 36 minutes apart: more than an i32 of microseconds
        try F.write(Self.events(exchange: Self.stream - 36 * 60 * 1_000_000_000), to: directory)
        #expect(try F.readAll(directory) == Self.events(exchange: nil))
        #expect(DatasetRecord.exchangeOffset(timeNs: Self.stream, exchangeTimeNs: Self.stream - 35 * 60 * 1_000_000_000) != nil)
    }

    @Test func barsNeverClaimAnExchangeTime() throws {
        let bar = DatasetRecord(timeNs: F.baseNs, kind: .bar, instrument: 0, aux: 60, 1, 1, 1, 1)
        #expect(bar.exchangeTimeNs == nil)
    }
}
