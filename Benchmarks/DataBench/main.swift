import Crypto
import Foundation
import TradewindCore
import TradewindData

/// `tradewind-bench-data [events] [directory]`: writes a synthetic dataset of `events` quotes and
/// trades (default 20 M) into a temporary directory, then reads it back from the page cache on one
/// core: the raw record path with full verification (block CRC-32 + segment SHA-256), the raw path
/// with block CRCs only, and full `MarketEvent` decoding. Prints events/s, MB/s and peak RSS, plus
/// the cost of the two checksums alone. Release build: `make bench`.

func peakRSS() -> String {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? "VmHWM: ?"
    return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().joined(separator: " ")
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func report(_ name: String, events: Int64, bytes: Int64, elapsed: Double) {
    let rate = Double(events) / elapsed
    let throughput = Double(bytes) / elapsed / 1e6
    print("\(name.padding(toLength: 46, withPad: " ", startingAt: 0)) \(String(format: "%7.2f", rate / 1e6)) M events/s  \(String(format: "%7.0f", throughput)) MB/s  \(String(format: "%6.3f", elapsed)) s  peak RSS \(peakRSS())")
}

let arguments = CommandLine.arguments.dropFirst()
let eventCount = Int(arguments.first ?? "") ?? 20_000_000
let keep = arguments.count > 1
let directory = arguments.dropFirst().first ?? NSTemporaryDirectory() + "tradewind-bench-data-\(getpid())"
defer { if !keep { try? FileManager.default.removeItem(atPath: directory) } }

let btc = try InstrumentId(parsing: "SIM:BTCUSDT")
let eth = try InstrumentId(parsing: "SIM:ETHUSDT")
let feed = try SyntheticFeed(configuration: SyntheticFeedConfiguration(
    seed: 42,
    instruments: [
        SyntheticInstrument(
            instrument: Instrument(id: btc, baseAsset: "BTC", quoteAsset: "USDT", tickSize: Price("0.01")!, lotSize: Quantity("0.0001")!, minQuantity: Quantity("0.0001")!),
            startPrice: Price("65000")!, volatilityBps: 5, spreadBps: 2, quoteSize: Quantity("0.5")!),
        SyntheticInstrument(
            instrument: Instrument(id: eth, baseAsset: "ETH", quoteAsset: "USDT", tickSize: Price("0.01")!, lotSize: Quantity("0.001")!, minQuantity: Quantity("0.001")!),
            startPrice: Price("3200")!, volatilityBps: 5, spreadBps: 2, quoteSize: Quantity("5")!),
    ],
    tradeProbabilityPercent: 30))

print("tradewind-bench-data: \(eventCount) events into \(directory)")
var manifest: DatasetManifest!
let written = try seconds { manifest = try SyntheticDataset(feed: feed, events: eventCount, ticksPerSecond: 1_000).write(to: directory) }
let bytes = manifest.segments.reduce(Int64(0)) { $0 + $1.bytes }
report("synthesize + write", events: manifest.counts.events, bytes: bytes, elapsed: written)
print("dataset: \(manifest.segments.count) segments, \(bytes) bytes, content hash \(manifest.contentHash)")

let reader = try DatasetReader(directory: directory)

/// One pass over every record; returns the record count (and folds values so nothing is elided).
func rawPass(_ verification: DatasetReader.Verification) throws -> (Int64, Int64) {
    var cursor = try reader.events(verification: verification)
    var count: Int64 = 0
    var fold: Int64 = 0
    while let record = try cursor.nextRecord() {
        count &+= 1
        fold &+= record.value0 ^ record.timeNs
    }
    return (count, fold)
}

/// One pass decoding every `MarketEvent`, using each (prices, ids) so nothing is elided.
func eventPass(_ verification: DatasetReader.Verification) throws -> (Int64, Int64) {
    var cursor = try reader.events(verification: verification)
    var count: Int64 = 0
    var fold: Int64 = 0
    while let event = try cursor.next() {
        count &+= 1
        switch event {
        case .quote(let quote): fold &+= quote.bid.units &+ Int64(quote.instrument.symbol.utf8.count)
        case .trade(let trade): fold &+= trade.price.units &+ Int64(trade.tradeId.utf8.count)
        case .book(let book): fold &+= Int64(book.bids.count + book.asks.count)
        case .bar(let bar): fold &+= bar.close.units
        }
    }
    return (count, fold)
}

_ = try rawPass(.blockChecksums)  // warm the page cache
for (name, verification) in [("raw records, CRC + SHA-256 (full)", DatasetReader.Verification.full), ("raw records, CRC only", .blockChecksums)] {
    var best = Double.infinity
    for _ in 0..<3 {
        var result: (Int64, Int64) = (0, 0)
        let elapsed = try seconds { result = try rawPass(verification) }
        precondition(result.0 == manifest.counts.records, "read \(result.0) records, the manifest says \(manifest.counts.records)")
        best = min(best, elapsed)
    }
    report(name + " (best of 3)", events: manifest.counts.records, bytes: bytes, elapsed: best)
}
for (name, verification) in [("MarketEvent decoding, full", DatasetReader.Verification.full), ("MarketEvent decoding, CRC only", .blockChecksums)] {
    var best = Double.infinity
    for _ in 0..<3 {
        var result: (Int64, Int64) = (0, 0)
        let elapsed = try seconds { result = try eventPass(verification) }
        precondition(result.0 == manifest.counts.events, "decoded \(result.0) events, the manifest says \(manifest.counts.events)")
        best = min(best, elapsed)
    }
    report(name + " (best of 3)", events: manifest.counts.events, bytes: bytes, elapsed: best)
}

// what the two checksums cost alone, over one block's bytes (in cache), best of 5
func checksumThroughput() -> (crc: Double, sha: Double) {
    let block = (0..<DatasetFormat.blockRecords * DatasetFormat.recordSize).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    let rounds = 1_000
    let bytes = Double(rounds * block.count)
    var best = (crc: 0.0, sha: 0.0)
    var sink: UInt64 = 0
    block.withUnsafeBytes { buffer in
        for _ in 0..<5 {
            var crc: UInt32 = 0
            let crcTime = seconds { for _ in 0..<rounds { crc = DatasetCRC32.checksum(buffer, continuing: crc) } }
            var hasher = SHA256()
            let shaTime = seconds { for _ in 0..<rounds { hasher.update(bufferPointer: buffer) } }
            sink &+= UInt64(crc) &+ UInt64(Array(hasher.finalize())[0])
            best = (max(best.crc, bytes / crcTime / 1e9), max(best.sha, bytes / shaTime / 1e9))
        }
    }
    if sink == 42 { print("") }
    return best
}
let throughput = checksumThroughput()
print("checksums alone, best of 5: CRC-32 (zlib) \(String(format: "%.2f", throughput.crc)) GB/s, SHA-256 (swift-crypto) \(String(format: "%.2f", throughput.sha)) GB/s")
