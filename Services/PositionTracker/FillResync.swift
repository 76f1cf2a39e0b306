import Foundation
import Logging
import TradewindBus
import TradewindCore
import TradewindStore

/// Re-reads the engine's persisted fills off the bus thread and hands them to the host on it.
/// Runs twice (after 1 s and 5 s) so fills the engine's writer had not yet committed are caught too.
struct FillResync: Sendable {
    let url: String
    let loop: BusLoop
    let host: PositionTrackerHost
    let logger: Logger

    static let delays: [Duration] = [.seconds(1), .seconds(5)]

    func schedule(sinceNs: Int64) {
        Task.detached {
            for delay in Self.delays {
                try? await Task.sleep(for: delay)
                do {
                    let reports = try await PGConnection.withConnection(url: url) { connection in
                        try EngineFillSource.fills(since: sinceNs, connection)
                    }
                    loop.submit { context in host.applyReconciled(reports, context: context) }
                } catch {
                    logger.error("fill re-sync from the engine's table failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
