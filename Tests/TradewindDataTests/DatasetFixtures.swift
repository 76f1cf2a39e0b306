import Foundation
import Glibc
import TradewindCore
@testable import TradewindData

/// Instruments, events and scratch directories for the dataset tests.
enum DatasetFixtures {
    static let btcId = try! InstrumentId(parsing: "SIM:BTCUSDT")
    static let ethId = try! InstrumentId(parsing: "SIM:ETHUSDT")
    static let btc = Instrument(id: btcId, baseAsset: "BTC", quoteAsset: "USDT", tickSize: Price("0.01")!, lotSize: Quantity("0.0001")!, minQuantity: Quantity("0.0001")!)
    static let eth = Instrument(id: ethId, baseAsset: "ETH", quoteAsset: "USDT", tickSize: Price("0.01")!, lotSize: Quantity("0.001")!, minQuantity: Quantity("0.001")!)
    static let instruments = [btc, eth]

    /// Bytes of a block of `records` records.
    static func blockSize(_ records: Int) -> Int64 { Int64(DatasetFormat.blockHeaderSize + records * DatasetFormat.recordSize) }
    /// Offset of full block `index` in a segment.
    static func blockOffset(_ index: Int) -> Int64 { Int64(DatasetFormat.segmentHeaderSize) + Int64(index) * Int64(DatasetFormat.fullBlockSize) }
    /// Segment size holding exactly `blocks` full blocks.
    static func segmentBytes(blocks: Int) -> Int { DatasetFormat.segmentHeaderSize + blocks * DatasetFormat.fullBlockSize }

    /// Event times start here (2023-11-14T22:13:20Z).
    static let baseNs: Int64 = 1_700_000_000_000_000_000

    static func quote(_ index: Int, instrument: InstrumentId = btcId) -> MarketEvent {
        .quote(Quote(
            instrument: instrument, bid: Price(units: 6_500_000_000_000 + Int64(index)), bidSize: Quantity("0.5")!,
            ask: Price(units: 6_500_000_001_000 + Int64(index)), askSize: Quantity("0.75")!, timeNs: baseNs + Int64(index)))
    }

    /// `count` quotes, alternating instruments, one ns apart.
    static func quotes(_ count: Int) -> [MarketEvent] {
        (0..<count).map { quote($0, instrument: $0 % 2 == 0 ? btcId : ethId) }
    }

    /// A scratch directory (not created) removed by `cleanup`.
    static func scratch(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        return NSTemporaryDirectory() + "tw-data-tests-\(getpid())-\(safe)-\(UInt32.random(in: 0...UInt32.max))"
    }

    static func cleanup(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes `events` into a new dataset at `directory` and finishes it.
    @discardableResult
    static func write(_ events: [MarketEvent], to directory: String, segmentBytes: Int = DatasetFormat.defaultSegmentBytes, finish: Bool = true) throws -> DatasetWriter {
        let writer = try DatasetWriter(directory: directory, instruments: instruments, source: ["kind": "test"], segmentBytes: segmentBytes, createdNs: 1)
        for event in events { try writer.append(event) }
        if finish { try writer.finish() } else { try writer.flush() }
        return writer
    }

    /// Every event of the dataset at `directory`.
    static func readAll(_ directory: String, verification: DatasetReader.Verification = .full) throws -> [MarketEvent] {
        var cursor = try DatasetReader(directory: directory).events(verification: verification)
        var events: [MarketEvent] = []
        while let event = try cursor.next() { events.append(event) }
        return events
    }

    /// Overwrites bytes of `file` at `offset`.
    static func patch(_ path: String, at offset: Int64, _ bytes: [UInt8]) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: bytes)
    }

    static func append(_ path: String, _ bytes: [UInt8]) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: bytes)
    }

    static func byte(_ path: String, at offset: Int64) throws -> UInt8 {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data[Int(offset)]
    }

    static func truncate(_ path: String, to size: Int64) {
        _ = Glibc.truncate(path, off_t(size))
    }

    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? -1
    }
}
