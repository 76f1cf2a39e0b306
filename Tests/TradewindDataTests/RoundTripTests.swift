import Testing
import TradewindCore
@testable import TradewindData

@Suite struct RoundTripTests {
    typealias F = DatasetFixtures

    static let events: [MarketEvent] = [
        F.quote(0),
        .trade(Trade(instrument: F.btcId, price: Price("65000.01")!, size: Quantity("0.0123")!, aggressor: .buy, tradeId: "1", timeNs: F.baseNs + 0)),
        .trade(Trade(instrument: F.ethId, price: Price("3200.5")!, size: Quantity("2")!, aggressor: .sell, tradeId: "9007199254740993", timeNs: F.baseNs + 1)),
        .book(BookUpdate(
            instrument: F.btcId, snapshot: true,
            bids: [BookLevel(price: Price("64999")!, size: Quantity("1")!), BookLevel(price: Price("64998")!, size: Quantity("2")!)],
            asks: [BookLevel(price: Price("65001")!, size: Quantity("3")!)], timeNs: F.baseNs + 2)),
        .book(BookUpdate(instrument: F.btcId, snapshot: false, bids: [], asks: [BookLevel(price: Price("65001")!, size: .zero)], timeNs: F.baseNs + 3)),
        .book(BookUpdate(instrument: F.ethId, snapshot: true, bids: [], asks: [], timeNs: F.baseNs + 4)),
        .bar(Bar(
            instrument: F.ethId, startTimeNs: F.baseNs - 60_000_000_000, intervalSeconds: 60, open: Price("3200")!, high: Price("3210.25")!,
            low: Price("3190")!, close: Price("3205")!, volume: Quantity("12.5")!, tradeCount: 7)),
        F.quote(10, instrument: F.ethId),
    ]

    @Test func everyEventKindReadsBackExactly() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(Self.events, to: directory)
        #expect(try F.readAll(directory) == Self.events)
    }

    @Test func recordsCarryTheDocumentedFieldsAndFlags() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(Self.events, to: directory)
        var cursor = try DatasetReader(directory: directory).events()
        var records: [DatasetRecord] = []
        while let record = try cursor.nextRecord() { records.append(record) }
        #expect(records.map(\.kind) == [.quote, .trade, .trade, .bookLevel, .bookLevel, .bookLevel, .bookLevel, .bookLevel, .bar, .barContinuation, .quote])
        #expect(records[2].flags == DatasetRecord.Flag.aggressorSell && records[2].value2 == 9_007_199_254_740_993)
        let snapshot = DatasetRecord.Flag.snapshot
        #expect(records[3...5].map(\.flags) == [snapshot | DatasetRecord.Flag.firstLevel, snapshot, snapshot | DatasetRecord.Flag.ask | DatasetRecord.Flag.lastLevel])
        #expect(records[3...5].allSatisfy { $0.value2 == 1 } && records[6].value2 == 2)
        #expect(records[7].flags == snapshot | DatasetRecord.Flag.firstLevel | DatasetRecord.Flag.lastLevel | DatasetRecord.Flag.emptyUpdate)
        // the bar entered the stream after the book update at +4 ns, after its end (+0 ns)
        #expect(records[8].timeNs == F.baseNs + 4 && records[8].aux == 60 && records[9].value2 == F.baseNs - 60_000_000_000)
        #expect(records[9].value0 == Quantity("12.5")!.units && records[9].value1 == 7)
        #expect(records[0].value0 == 6_500_000_000_000 && records[0].instrument == 0 && records[10].instrument == 1)
    }

    @Test func manifestCountsTheEventsAndRecords() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let manifest = try F.write(Self.events, to: directory).manifest
        #expect(manifest.complete)
        #expect(manifest.counts.events == 8 && manifest.counts.records == 11)
        #expect(manifest.counts.quote == 2 && manifest.counts.trade == 2 && manifest.counts.bar == 1)
        #expect(manifest.counts.bookUpdate == 3 && manifest.counts.bookLevel == 5)
        #expect(manifest.timeRange == DatasetManifest.TimeRange(firstNs: F.baseNs, lastNs: F.baseNs + 10))
        #expect(manifest.instruments.map(\.id) == ["SIM:BTCUSDT", "SIM:ETHUSDT"])
        #expect(manifest.instruments[1].lotSize == "0.001" && manifest.instruments[1].scale == 8)
        #expect(manifest.segments.count == 1 && manifest.segments[0].bytes == 64 + F.blockSize(11))
        #expect(try DatasetManifest.load(directory: directory) == manifest)
        #expect(try DatasetReader(directory: directory).instruments == F.instruments)
    }

    @Test func refusesAnEventEarlierThanThePreviousOne() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let writer = try DatasetWriter(directory: directory, instruments: F.instruments)
        try writer.append(F.quote(5))
        #expect(throws: DatasetError.decreasingTime(previousNs: F.baseNs + 5, timeNs: F.baseNs + 4, event: "quote SIM:BTCUSDT")) {
            try writer.append(F.quote(4))
        }
        try writer.append(F.quote(5))
        #expect(try writer.finish().counts.events == 2)
    }

    @Test func refusesNonNumericTradeIdsAndUnknownInstruments() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let writer = try DatasetWriter(directory: directory, instruments: [F.btc])
        let trade = Trade(instrument: F.btcId, price: Price("1")!, size: Quantity("1")!, aggressor: .buy, tradeId: "BTCUSDT-12", timeNs: 1)
        #expect(throws: DatasetError.nonNumericTradeId(instrument: "SIM:BTCUSDT", tradeId: "BTCUSDT-12")) { try writer.append(.trade(trade)) }
        #expect(throws: DatasetError.unknownInstrument("SIM:ETHUSDT")) { try writer.append(F.quote(1, instrument: F.ethId)) }
    }

    @Test func refusesADirectoryThatHoldsADataset() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write([F.quote(0)], to: directory)
        #expect(throws: DatasetError.self) { try DatasetWriter(directory: directory, instruments: F.instruments) }
    }

    @Test func anEmptyDatasetHasNoSegments() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let manifest = try F.write([], to: directory).manifest
        #expect(manifest.counts.events == 0 && manifest.segments.isEmpty)
        #expect(try F.readAll(directory).isEmpty)
    }
}
