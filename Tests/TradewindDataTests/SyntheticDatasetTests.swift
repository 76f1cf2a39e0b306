import Foundation
import Testing
import TradewindCore
@testable import TradewindData

@Suite struct SyntheticDatasetTests {
    typealias F = DatasetFixtures

    static func synthetic(seed: UInt64 = 42, events: Int = 10_000, bars: Int? = nil) throws -> SyntheticDataset {
        let feed = try SyntheticFeed(configuration: SyntheticFeedConfiguration(
            seed: seed,
            instruments: [
                SyntheticInstrument(instrument: F.btc, startPrice: Price("65000")!, volatilityBps: 5, spreadBps: 2, quoteSize: Quantity("0.5")!),
                SyntheticInstrument(instrument: F.eth, startPrice: Price("3200")!, volatilityBps: 5, spreadBps: 2, quoteSize: Quantity("5")!),
            ],
            tradeProbabilityPercent: 30))
        return SyntheticDataset(
            feed: feed, events: events, ticksPerSecond: 20, bars: try bars.map { try BarAggregator(intervalSeconds: $0) },
            segmentBytes: F.segmentBytes(blocks: 1))
    }

    @Test func sameArgumentsGiveAByteIdenticalDataset() throws {
        let first = F.scratch() + "-a"
        let second = F.scratch() + "-b"
        defer { F.cleanup(first); F.cleanup(second) }
        let a = try Self.synthetic().write(to: first)
        let b = try Self.synthetic().write(to: second)
        #expect(a.contentHash == b.contentHash && a.segments.count == 3)
        for file in try FileManager.default.contentsOfDirectory(atPath: first) {
            #expect(FileManager.default.contentsEqual(atPath: first + "/" + file, andPath: second + "/" + file), "\(file)")
        }
        let other = F.scratch() + "-c"
        defer { F.cleanup(other) }
        #expect(try Self.synthetic(seed: 43).write(to: other).contentHash != a.contentHash)
    }

    @Test func writesExactlyTheRequestedQuotesAndTradesAtTheFixedRate() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let manifest = try Self.synthetic(events: 1_001).write(to: directory)
        #expect(manifest.counts.events == 1_001 && manifest.counts.quote + manifest.counts.trade == 1_001)
        #expect(manifest.timeRange.firstNs == SyntheticDataset.defaultStartNs)
        #expect(manifest.createdNs == SyntheticDataset.defaultStartNs)
        #expect(manifest.source["kind"] == "synthetic" && manifest.source["seed"] == 42)
        let events = try F.readAll(directory)
        let times = Set(events.map(\.timeNs))
        #expect(times.allSatisfy { ($0 - SyntheticDataset.defaultStartNs) % 50_000_000 == 0 })
        let tradeIds = events.compactMap { event -> String? in
            if case .trade(let trade) = event, trade.instrument == F.btcId { return trade.tradeId } else { return nil }
        }
        #expect(tradeIds == (1...tradeIds.count).map { "\($0)" })
    }

    @Test func barsFromTheTradesComeInProcessingOrder() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let manifest = try Self.synthetic(events: 20_000, bars: 60).write(to: directory)
        #expect(manifest.counts.bar > 0)
        var cursor = try DatasetReader(directory: directory).events()
        var previous = Int64.min
        while let event = try cursor.next() {
            #expect(cursor.timeNs >= previous)
            previous = cursor.timeNs
            if case .bar(let bar) = event { #expect(cursor.timeNs >= bar.endTimeNs && bar.tradeCount > 0) }
        }
    }

    @Test func verificationCountsEveryEventAndNamesEachBadBlock() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let manifest = try Self.synthetic(events: 3 * DatasetFormat.blockRecords).write(to: directory)
        let good = try DatasetVerification(directory: directory)
        #expect(good.isOK && good.found == manifest.counts)
        for file in ["seg-000001.twd", "seg-000002.twd"] {
            try F.patch(directory + "/" + file, at: 1_000, [0, 0, 0])
        }
        let bad = try DatasetVerification(directory: directory)
        let crcFiles = bad.problems.compactMap { problem -> String? in
            if case .crcMismatch(let file, let offset, _, _) = problem, offset == 64 { return file } else { return nil }
        }
        #expect(crcFiles == ["seg-000001.twd", "seg-000002.twd"])
    }

    @Test func dataRootNamesItsSixFolders() throws {
        let root = DataRoot(path: F.scratch())
        defer { F.cleanup(root.path) }
        try root.createAll()
        #expect(DataRoot.Folder.allCases.map(\.rawValue) == ["raw", "normalized", "canonical", "derived", "quarantine", "experiments"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["canonical", "derived", "experiments", "normalized", "quarantine", "raw"])
        #expect(root.path(of: .canonical, "synth-42-1000") == root.path + "/canonical/synth-42-1000")
    }
}
