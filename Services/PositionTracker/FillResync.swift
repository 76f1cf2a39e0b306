import Foundation
import Logging
import TradewindBus
import TradewindCore
import TradewindStore

/// Re-reads the engine's persisted fills off the bus thread and hands them to the host on it.
/// Reads twice (after 1 s and 5 s) so fills the engine's writer had not yet committed are caught
/// too; the last read is retried until the database answers, so a re-sync never ends with a hole.
struct FillResync: Sendable {
    let url: String
    let loop: BusLoop
    let host: PositionTrackerHost
    let logger: Logger

    static let delays: [Duration] = [.seconds(1), .seconds(5)]
    static let retryDelay: Duration = .seconds(2)

    /// Starts a re-sync of fills at or after `sinceNs`; the host hears of every read (`resyncRead`).
    func schedule(sinceNs: Int64) {
        Task.detached {
            for (index, delay) in Self.delays.enumerated() {
                try? await Task.sleep(for: delay)
                let last = index == Self.delays.count - 1
                while true {
                    do {
                        let reports = try await PGConnection.withConnection(url: url) { connection in
                            try EngineFillSource.fills(since: sinceNs, connection)
                        }
                        loop.submit { context in host.resyncRead(reports, last: last, context: context) }
                        break
                    } catch {
                        logger.error("fill re-sync from the engine's table failed", metadata: ["error": "\(error)", "retrying": "\(last)"])
                        guard last else {
                            // the last read still comes (and is retried until it succeeds)
                            loop.submit { context in host.resyncRead([], last: false, context: context) }
                            break
                        }
                        try? await Task.sleep(for: Self.retryDelay)
                    }
                }
            }
        }
    }
}
