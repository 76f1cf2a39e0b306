import TradewindBus
import TradewindCore
import TradewindData
import TradewindDaemonKit

@main
enum MarketDataDaemon {
    static func main() async {
        let startNs = WallClock.nowNs()
        let context = DaemonStartup.prepare(SuiteServices.marketData) {
            (runtime: try RuntimeSettings($0, startNs: startNs), feed: try MarketDataSettings($0))
        }
        let settings = context.settings.feed
        var source = MarketDataSource.idle
        var live: BinanceFeedDriver?
        switch settings.source {
        case .synthetic(let feed, let ticksPerSecond):
            source = .synthetic(feed, ticksPerSecond: ticksPerSecond)
        case .replay(let replay):
            do {
                let reader = try DatasetReader(directory: replay.dataset)
                source = .replay(try reader.events(), speed: replay.speed)
                context.logger.info("replaying a dataset", metadata: [
                    "dataset": "\(replay.dataset)", "events": "\(reader.manifest.counts.events)",
                    "speed": "\(replay.speed)", "lockstep": "\(replay.lockstep)",
                ])
            } catch {
                DaemonStartup.failConfiguration(
                    executable: context.executable,
                    error: .invalidValue(path: "market_data.replay_dataset", value: "\"\(replay.dataset)\"", reason: "\(error)"))
            }
        case .binance(let binance):
            do {
                live = try BinanceFeedDriver(settings: binance, logger: context.logger)
            } catch {
                DaemonStartup.failConfiguration(
                    executable: context.executable, error: .invalidValue(path: "market_data.\(error.key)", value: error.value, reason: error.reason))
            }
            context.logger.info("binance feed", metadata: [
                "instruments": "\(binance.instruments.map(\.description).joined(separator: ","))", "stream_url": "\(binance.streamURL)",
            ])
        }
        let store = context.openStore(schema: MarketDataSchema.name, migrations: MarketDataSchema.migrations)
        let view = StateSnapshot(MarketView())
        let lockstep = context.settings.runtime.lockstep
        let host = MarketDataHost(
            slice: MarketDataSlice(bars: settings.bars), source: source, live: live, lockstep: lockstep, store: store, view: view)
        // in lockstep, market data hears every downstream daemon's watermarks
        var daemon = BusDaemon(
            context: context, upstreams: lockstep ? SuiteServices.lockstepFeedback : [],
            tickInterval: MarketDataHost.tickInterval(settings), store: store, handler: host)
        daemon.http.addJSONRoute(path: "/v1/market") { view.read() }
        if let live {
            let books = live.view
            daemon.http.addJSONRoute(path: "/v1/book") { books.read() }
            let ready = live.readiness
            daemon.http.addReadinessCheck("feed") { ready.read() }
            // a subscriber that missed a delta asks for the book again (it goes out on md.book)
            let loop = daemon.loop
            daemon.http.addRoute(.post, path: "/v1/book/snapshot") { request in
                guard let text = request.query["instrument"], let instrument = InstrumentId(text) else {
                    return .error("give ?instrument=VENUE:SYMBOL", status: 400)
                }
                guard let state = await loop.perform({ context in host.requestBookSnapshot(instrument, context: context) }) else {
                    return .error("the bus loop is stopping", status: 503)
                }
                guard let state else { return .error("no book for \(instrument)", status: 404) }
                return try .json(["instrument": instrument.description, "state": state, "published": state == "live" ? "true" : "false"])
            }
        }
        await daemon.run()
    }
}
