import Testing
import TradewindCore
@testable import TradewindData

/// A recording that crashed: the manifest says `complete: false`; the data is read up to the
/// last whole block and the torn bytes after it are reported, never read.
@Suite struct IncompleteDatasetTests {
    typealias F = DatasetFixtures
    static let block = DatasetFormat.blockRecords

    @Test func readsWhatWasFlushedAndMore() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let events = F.quotes(Self.block + 30)
        let writer = try F.write(Array(events[0..<20]), to: directory, finish: false)
        for event in events[20...] { try writer.append(event) }
        // crash: the first block filled and was written, 30 records never left the writer
        let manifest = try DatasetManifest.load(directory: directory)
        #expect(!manifest.complete && manifest.counts.events == 20 && manifest.segments[0].records == 20)
        var cursor = try DatasetReader(directory: directory).events()
        var read: [MarketEvent] = []
        while let event = try cursor.next() { read.append(event) }
        #expect(read == Array(events[0..<Self.block]))
        #expect(cursor.tornTail == nil)
    }

    @Test func aPartialBlockExtendedBeforeItsHeaderIsReadUpToTheHeader() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let events = F.quotes(50)
        try F.write(Array(events[0..<20]), to: directory, finish: false)
        // the writer had written 30 more records, and crashed before the block's header said so
        let path = directory + "/seg-000001.twd"
        try F.append(path, [UInt8](repeating: 0xAB, count: 30 * 48))
        var cursor = try DatasetReader(directory: directory).events()
        var read: [MarketEvent] = []
        while let event = try cursor.next() { read.append(event) }
        #expect(read == Array(events[0..<20]))
        #expect(cursor.tornTail == TornTail(file: "seg-000001.twd", offset: 64 + F.blockSize(20), bytes: 30 * 48))
    }

    @Test func aTornFullBlockIsIgnoredAndReported() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let events = F.quotes(2 * Self.block)
        try F.write(Array(events[0..<Self.block]), to: directory, finish: false)
        let complete = directory + "-complete"
        defer { F.cleanup(complete) }
        try F.write(events, to: complete)
        // the second block's write was cut short: its header and part of its records
        let torn = try [UInt8](Data(contentsOf: URL(fileURLWithPath: complete + "/seg-000001.twd")))[Int(F.blockOffset(1))..<Int(F.blockOffset(1) + 70_000)]
        try F.append(directory + "/seg-000001.twd", Array(torn))
        var cursor = try DatasetReader(directory: directory).events()
        var count = 0
        while try cursor.nextRecord() != nil { count += 1 }
        #expect(count == Self.block)
        #expect(cursor.tornTail == TornTail(file: "seg-000001.twd", offset: F.blockOffset(1), bytes: 70_000))
        let verification = try DatasetVerification(directory: directory)
        #expect(verification.isOK && verification.tornTail?.offset == F.blockOffset(1))
    }

    @Test func corruptionBeforeTheLastBlockIsAnErrorEvenWhenIncomplete() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(F.quotes(3 * Self.block), to: directory, finish: false)
        let path = directory + "/seg-000001.twd"
        try F.patch(path, at: F.blockOffset(0) + 16, [0xFF])
        #expect(throws: DatasetError.self) { _ = try F.readAll(directory) }
    }

    @Test func losingFlushedRecordsIsAnError() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        try F.write(F.quotes(Self.block + 10), to: directory, finish: false)
        F.truncate(directory + "/seg-000001.twd", to: F.blockOffset(1))
        #expect {
            _ = try F.readAll(directory)
        } throws: { error in
            guard case .truncated(let file, _, let reason) = error as? DatasetError else { return false }
            return file == "seg-000001.twd" && reason.contains("4106 flushed records, 4096 are readable")
        }
    }

    @Test func aBookUpdateCutByTheTailIsDroppedAndCounted() throws {
        let directory = F.scratch()
        defer { F.cleanup(directory) }
        let levels = (0..<10).map { BookLevel(price: Price(units: 100 + Int64($0)), size: Quantity(units: 1)) }
        let book = MarketEvent.book(BookUpdate(instrument: F.ethId, snapshot: true, bids: levels, asks: [], timeNs: F.baseNs + 10_000))
        let writer = try F.write(F.quotes(Self.block - 4), to: directory, finish: false)
        try writer.append(book)
        // crash: the full block (4 levels) was written, the block with the other 6 never was
        var cursor = try DatasetReader(directory: directory).events()
        var count = 0
        while try cursor.next() != nil { count += 1 }
        #expect(count == Self.block - 4 && cursor.droppedRecords == 4)
    }
}

import Foundation
