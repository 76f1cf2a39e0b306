import ArgumentParser
import Foundation
import TradewindCore
import TradewindDaemonKit
import TradewindData

/// `tradewind data synth`: a dataset from the seeded synthetic feed, with the walk the suite's
/// configuration gives the market-data daemon; the same arguments give a byte-identical dataset.
struct DataSynth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a canonical dataset from the seeded synthetic feed.",
        discussion: """
            Instruments, start prices, volatility, spread, quote sizes and the trade probability \
            come from the configuration (`instruments`, `market_data`); flags override them. Step k \
            of the feed is at --start-ns + k/--ticks-per-second seconds; every step gives each \
            instrument a quote and maybe a trade. --events counts quotes and trades.
            """)

    @OptionGroup var suite: SuiteOptions

    @Option(help: "Comma-separated instrument ids, in the dataset's order (default: every configured one).")
    var instruments: String?

    @Option(help: "Quotes and trades to write.")
    var events: Int

    @Option(help: "Seed of the walk (default: market_data.seed).")
    var seed: UInt64?

    @Option(help: "Dataset directory (default: <data root>/canonical/synth-<seed>-<events>).")
    var out: String?

    @Option(help: "Feed steps per second of event time (default: market_data.ticks_per_second).")
    var ticksPerSecond: Int?

    @Option(help: "Time of the first step, ns since the Unix epoch (default: 2024-01-01T00:00:00Z).")
    var startNs: Int64 = SyntheticDataset.defaultStartNs

    @Option(help: "Also write bars of this many seconds, built from the trades (default: none).")
    var barSeconds: Int?

    @Option(help: "Per-step volatility in basis points (default: market_data.volatility_bps).")
    var volatilityBps: Int?

    @Option(help: "Quoted spread in basis points (default: market_data.spread_bps).")
    var spreadBps: Int?

    @Option(help: "Chance in percent that a step prints a trade (default: market_data.trade_probability_percent).")
    var tradeProbability: Int?

    @Option(help: "Segment size in MiB at which a new segment starts.")
    var segmentMib: Int = DatasetFormat.defaultSegmentBytes >> 20

    func validate() throws {
        guard events >= 0 else { throw ValidationError("--events must be at least 0") }
        if let ticksPerSecond, !(1...1_000_000_000).contains(ticksPerSecond) {
            throw ValidationError("--ticks-per-second must be within 1...1000000000")
        }
        if let barSeconds, !(1...86_400).contains(barSeconds) { throw ValidationError("--bar-seconds must be within 1...86400") }
        guard (1...4096).contains(segmentMib) else { throw ValidationError("--segment-mib must be within 1...4096") }
    }

    func run() throws {
        let settings: SyntheticFeedSettings
        do {
            settings = try SyntheticFeedSettings(try suite.configuration())
        } catch let error as ConfigError {
            throw ValidationError("configuration: \(error)")
        }
        var configuration = settings.configuration
        if let seed { configuration.seed = seed }
        if let tradeProbability { configuration.tradeProbabilityPercent = tradeProbability }
        configuration.instruments = try selectedInstruments(configuration.instruments)
        let feed: SyntheticFeed
        do {
            feed = try SyntheticFeed(configuration: configuration)
        } catch {
            throw ValidationError("\(error)")
        }
        let bars = try barSeconds.map { try BarAggregator(intervalSeconds: $0) }
        let synthetic = SyntheticDataset(
            feed: feed, events: events, ticksPerSecond: ticksPerSecond ?? settings.ticksPerSecond, startNs: startNs,
            bars: bars, segmentBytes: segmentMib << 20)
        let directory = try out ?? suite.dataRoot().path(of: .canonical, "synth-\(configuration.seed)-\(events)")
        try reportingFailures {
            let manifest = try synthetic.write(to: directory)
            print("wrote \(directory): \(manifest.counts.events) events (\(manifest.counts.quote) quotes, \(manifest.counts.trade) trades, \(manifest.counts.bar) bars) in \(manifest.segments.count) segment(s)")
            print("content hash \(manifest.contentHash)")
        }
    }

    private func selectedInstruments(_ configured: [SyntheticInstrument]) throws -> [SyntheticInstrument] {
        var selected = configured
        if let instruments {
            selected = try instruments.split(separator: ",").map { text in
                let id = text.trimmingCharacters(in: .whitespaces)
                guard let found = configured.first(where: { $0.instrument.id.description == id }) else {
                    throw ValidationError("--instruments: \(id) is not in the configuration's instruments (\(configured.map { $0.instrument.id.description }.joined(separator: ", ")))")
                }
                return found
            }
        }
        for index in selected.indices {
            if let volatilityBps { selected[index].volatilityBps = volatilityBps }
            if let spreadBps { selected[index].spreadBps = spreadBps }
        }
        return selected
    }
}
