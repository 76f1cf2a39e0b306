import Logging
import TradewindCore
import TradewindData

/// Where market data's events come from: the seeded synthetic feed, paced by `ticks_per_second`, or
/// a dataset, paced by its event times at a multiple of real time (or not at all).
struct MarketDataSource {
    private enum Kind {
        /// Nothing to publish (a live feed publishes through its own driver).
        case idle
        case synthetic(SyntheticFeed, FeedPacer)
        case replay(DatasetCursor, ReplayPacer)
    }

    private var kind: Kind
    private var pending: [MarketEvent] = []
    private var pendingIndex = 0
    /// A replay reached the dataset's end (or stopped on an error, logged).
    private(set) var isFinished = false

    static var idle: MarketDataSource { MarketDataSource(kind: .idle) }

    static func synthetic(_ feed: SyntheticFeed, ticksPerSecond: Int) -> MarketDataSource {
        MarketDataSource(kind: .synthetic(feed, FeedPacer(stepsPerSecond: ticksPerSecond)))
    }

    static func replay(_ cursor: DatasetCursor, speed: Int) -> MarketDataSource {
        MarketDataSource(kind: .replay(cursor, ReplayPacer(speed: speed)))
    }

    /// The next event due by wall time `nowNs`, or nil.
    mutating func next(nowNs: Int64, logger: Logger) -> MarketEvent? {
        if pendingIndex < pending.count {
            switch kind {
            case .synthetic:
                pendingIndex += 1
                return pending[pendingIndex - 1]
            case .idle:
                return nil
            case .replay(let cursor, var pacer):
                let event = pending[pendingIndex]
                guard pacer.isDue(eventNs: event.timeNs, nowNs: nowNs) else { return nil }
                kind = .replay(cursor, pacer)
                pendingIndex += 1
                return event
            }
        }
        pending.removeAll(keepingCapacity: true)
        pendingIndex = 0
        switch kind {
        case .idle:
            return nil
        case .synthetic(var feed, var pacer):
            for timeNs in pacer.due(nowNs: nowNs) { pending += feed.step(timeNs: timeNs) }
            kind = .synthetic(feed, pacer)
        case .replay(var cursor, let pacer):
            guard !isFinished else { return nil }
            do {
                if let event = try cursor.next() { pending.append(event) } else { isFinished = true }
            } catch {
                isFinished = true
                logger.error("replay stopped: the dataset cannot be read further", metadata: ["error": "\(error)"])
            }
            kind = .replay(cursor, pacer)
            if isFinished { logger.notice("replay finished") }
        }
        guard !pending.isEmpty else { return nil }
        return next(nowNs: nowNs, logger: logger)
    }
}
