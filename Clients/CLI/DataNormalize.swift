import ArgumentParser
import Foundation
import TradewindCore
import TradewindDaemonKit
import TradewindData
import TradewindVenues

/// `tradewind data normalize RAW... --out DIR`: replays a raw recording (`market_data.record_raw`)
/// through the live feed's own decoder and book machine (`BinanceFeedInput`, `LiveMarketFeed`), in
/// receive-time order, and writes what the live daemon published (quotes, trades, book snapshots and
/// deltas) as a dataset, stamped with the local receive times.
struct DataNormalize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Turn raw Binance recordings into a normalized dataset.",
        discussion: """
            RAW names segment files (*.raw.gz) or directories holding them (searched recursively); \
            segments are read in name order, which is time order. The instruments are the \
            configuration's BINANCE ones. Frames that do not parse are counted by kind in the \
            manifest's source, as are gaps and resyncs.
            """)

    @OptionGroup var suite: SuiteOptions

    @Argument(help: "Raw segment files or directories.")
    var raw: [String]

    @Option(help: "Dataset directory (created; default <data root>/normalized/<name of the first input>).")
    var out: String?

    func run() throws {
        let configuration = try suite.configuration()
        let instruments: [Instrument]
        let settings: MarketDataSettings.BinanceFeed
        do {
            let catalog = try InstrumentCatalog(configuration)
            instruments = catalog.ids.filter { $0.venue == "BINANCE" }.map { catalog.instruments[$0]! }
            settings = try MarketDataSettings.binanceFeed(configuration)
        } catch {
            throw ValidationError("configuration: \(error)")
        }
        var paths: [String] = []
        for input in raw {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ValidationError("\(input): no such file or directory")
            }
            paths += isDirectory.boolValue ? RawRecordReader.segments(under: input) : [input]
        }
        guard !paths.isEmpty else { throw ValidationError("no raw segments (*.raw.gz) in \(raw.joined(separator: " "))") }
        let name = URL(fileURLWithPath: raw[0]).lastPathComponent
        let directory = try out ?? suite.dataRoot().path(of: .normalized, name)
        try reportingFailures {
            let summary = try RawNormalization.run(paths: paths, instruments: instruments, settings: settings, directory: directory)
            print("normalized \(summary.records) raw records from \(paths.count) segment(s) into \(directory)")
            print("events \(summary.manifest.counts.events): \(summary.manifest.counts.quote) quotes, \(summary.manifest.counts.trade) trades, \(summary.manifest.counts.bookUpdate) book updates")
            print("refused \(summary.refused.values.reduce(0, +)) frame(s), \(summary.gaps) gap(s), \(summary.resyncs) resync(s)")
        }
    }
}

/// The replay itself, apart from argument handling.
enum RawNormalization {
    struct Summary {
        var manifest: DatasetManifest
        var records = 0
        var refused: [String: Int] = [:]
        var gaps = 0
        var resyncs = 0
    }

    static func run(
        paths: [String], instruments: [Instrument], settings: MarketDataSettings.BinanceFeed, directory: String
    ) throws -> Summary {
        let ids = instruments.map(\.id)
        let input = BinanceFeedInput(instruments: ids)
        var feed = try LiveMarketFeed(instruments: ids, connection: settings.connection, books: settings.books, seed: settings.seed)
        let writer = try DatasetWriter(directory: directory, instruments: instruments)
        var summary = Summary(manifest: writer.manifest)
        var iterator = RawRecordReader(paths: paths).makeIterator()
        var started = false
        while let record = iterator.next() {
            summary.records += 1
            if !started {
                started = true
                _ = feed.apply(.start(timeNs: record.receivedNs))
            }
            var events: [LiveMarketFeed.Event] = [.clock(timeNs: record.receivedNs)]
            switch record.kind {
            case .open: events.append(.opened(timeNs: record.receivedNs))
            case .close: events.append(.closed(timeNs: record.receivedNs))
            case .frame:
                switch input.frame(record.payload, receivedNs: record.receivedNs) {
                case .success(let decoded): events.append(decoded.event)
                case .failure(let error):
                    summary.refused[error.kind, default: 0] += 1
                    events.append(.unusableFrame(timeNs: record.receivedNs))
                }
            case .snapshot:
                guard let instrument = InstrumentId(record.tag) else { summary.refused["snapshot_instrument", default: 0] += 1; continue }
                switch input.snapshot(instrument, body: record.payload, receivedNs: record.receivedNs) {
                case .success(let event): events.append(event)
                case .failure(let error): summary.refused["snapshot_" + error.kind, default: 0] += 1
                }
            }
            for event in events {
                for output in feed.apply(event) {
                    switch output {
                    case .quote(let quote): try writer.append(.quote(quote))
                    case .trade(let trade): try writer.append(.trade(trade))
                    case .book(let message): try writer.append(.book(message.update))
                    case .gap: summary.gaps += 1
                    case .requestSnapshot: summary.resyncs += 1
                    case .connect, .disconnect, .feedState, .crossed, .rejected: break
                    }
                }
            }
        }
        if let error = iterator.error { throw error }
        var source: [String: DatasetJSON] = [
            "kind": .string("normalized"), "venue": .string("BINANCE"), "raw_segments": .array(paths.map { .string($0) }),
            "raw_records": .integer(Int64(summary.records)), "gaps": .integer(Int64(summary.gaps)),
            "snapshot_requests": .integer(Int64(summary.resyncs)),
        ]
        source["refused"] = .object(summary.refused.mapValues { .integer(Int64($0)) })
        writer.source = source
        summary.manifest = try writer.finish()
        return summary
    }
}
