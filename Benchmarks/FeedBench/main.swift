import Foundation
import TradewindCore
import TradewindVenues

/// `tradewind-bench-feed [frames]`: the Binance normalizer's throughput on one core. Builds
/// `frames` (default 300 000) combined-stream frames in memory, a third each of bookTicker, trade
/// and 100 ms diff depth (ten levels a diff, sizes changed or removed at random over a 40-level
/// book around a fixed mid, update ids continuous), then times: decoding alone (JSON → exact fixed point), and
/// decoding plus the live feed's machine (`LiveMarketFeed`: the L2 book by Binance's procedure,
/// outputs as the daemon publishes them). Prints frames/s and MB/s. Release build: `make bench`.

let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 300_000
let instrument = try InstrumentId(parsing: "BINANCE:BTCUSDT")
var random = SeededGenerator(seed: 17)

@MainActor func price(_ ticks: Int) -> String {
    let units = 6_500_000 + ticks  // cents
    return "\(units / 100).\(String(format: "%02d", units % 100))000000"
}

@MainActor func size() -> String { "\(random.nextInt(in: 0...9)).\(String(format: "%08d", random.nextInt(in: 1...99_999_999)))" }

var updateId = 1_000_000
let mid = 0
let snapshotBody = Array("""
    {"lastUpdateId":\(updateId + 1),"bids":[\((1...40).map { "[\"\(price(-$0))\",\"\(size())\"]" }.joined(separator: ","))],\
    "asks":[\((1...40).map { "[\"\(price($0))\",\"\(size())\"]" }.joined(separator: ","))]}
    """.utf8)
var frames: [[UInt8]] = []
frames.reserveCapacity(count)
var bytes = 0
for index in 0..<count {
    let time = 1_700_000_000_000 + index
    let text: String
    switch index % 3 {
    case 0:
        text = #"{"stream":"btcusdt@bookTicker","data":{"u":\#(updateId),"s":"BTCUSDT","b":"\#(price(mid - 1))","B":"\#(size())","a":"\#(price(mid + 1))","A":"\#(size())"}}"#
    case 1:
        text = #"{"stream":"btcusdt@trade","data":{"e":"trade","E":\#(time),"s":"BTCUSDT","t":\#(index),"p":"\#(price(mid))","q":"\#(size())","T":\#(time),"m":\#(index % 2 == 0),"M":true}}"#
    default:
        let first = updateId + 1
        updateId += random.nextInt(in: 1...3)
        let bids = (0..<5).map { _ in "[\"\(price(mid - random.nextInt(in: 1...40)))\",\"\(random.nextInt(in: 0...9) == 0 ? "0.00000000" : size())\"]" }
        let asks = (0..<5).map { _ in "[\"\(price(mid + random.nextInt(in: 1...40)))\",\"\(random.nextInt(in: 0...9) == 0 ? "0.00000000" : size())\"]" }
        text = #"{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":\#(time),"s":"BTCUSDT","U":\#(first),"u":\#(updateId),"b":[\#(bids.joined(separator: ","))],"a":[\#(asks.joined(separator: ","))]}}"#
    }
    frames.append(Array(text.utf8))
    bytes += text.utf8.count
}

func timed(_ body: () throws -> Int) rethrows -> (Double, Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
}

@MainActor func report(_ name: String, _ elapsed: Double) {
    print("\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(String(format: "%9.0f", Double(count) / elapsed)) frames/s  \(String(format: "%6.1f", Double(bytes) / elapsed / 1e6)) MB/s  (\(count) frames, \(String(format: "%.3f", elapsed)) s)")
}

let input = BinanceFeedInput(instruments: [instrument])
for round in 1...2 {
    let (decodeSeconds, decoded) = timed {
        var decoded = 0
        for (index, frame) in frames.enumerated() {
            if case .success = input.frame(frame, receivedNs: Int64(index)) { decoded += 1 }
        }
        return decoded
    }
    precondition(decoded == count, "only \(decoded) of \(count) frames decoded")
    report("decode (round \(round))", decodeSeconds)

    var feed = try LiveMarketFeed(
        instruments: [instrument], connection: .init(staleAfterNs: .max / 2), books: .defaults, seed: 1)
    _ = feed.apply(.start(timeNs: 0))
    _ = feed.apply(.opened(timeNs: 0))
    let (machineSeconds, published) = timed {
        var published = 0
        for (index, frame) in frames.enumerated() {
            guard case .success(let decoded) = input.frame(frame, receivedNs: Int64(index)) else { continue }
            for output in feed.apply(decoded.event) {
                switch output {
                case .requestSnapshot:
                    if case .success(let snapshot) = input.snapshot(instrument, body: snapshotBody, receivedNs: Int64(index)) {
                        published += feed.apply(snapshot).count
                    }
                case .quote, .trade, .book: published += 1
                default: break
                }
            }
        }
        return published
    }
    precondition(feed.isReady, "the book never synchronized: \(feed.books[instrument]!.state) \(feed.books[instrument]!.counters) \(feed.connection.feedState)")
    report("decode + book machine (round \(round))", machineSeconds)
    print("  published \(published) messages; book \(feed.books[instrument]!.book.depth(.bid)) bids, \(feed.books[instrument]!.book.depth(.ask)) asks")
}
