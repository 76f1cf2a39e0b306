import Foundation
import Logging
import TradewindBus
import TradewindCore
import TradewindStore

/// Re-reads the engine's persisted fills off the bus thread and hands them to the host on it.
/// Reads twice (after 1 s and 5 s) so fills the engine's writer had not yet committed are caught
/// too; the last read is retried until the database answers, so a re-sync never ends with a hole.
public struct FillResync: Sendable {
    /// Runs on the bus thread with each read's fills (empty if that read failed; the last read is
    /// retried until it succeeds).
    public typealias Delivery = @Sendable (_ reports: [ExecutionReport], _ context: BusLoopContext) -> Void

    let url: String
    let loop: BusLoop
    let logger: Logger
    let deliver: Delivery

    /// Reads per re-sync.
    public static let delays: [Duration] = [.seconds(1), .seconds(5)]
    static let retryDelay: Duration = .seconds(2)

    public init(url: String, loop: BusLoop, logger: Logger, deliver: @escaping Delivery) {
        self.url = url
        self.loop = loop
        self.logger = logger
        self.deliver = deliver
    }

    /// Starts a re-sync of fills at or after `sinceNs`.
    public func schedule(sinceNs: Int64) {
        Task.detached {
            for (index, delay) in Self.delays.enumerated() {
                try? await Task.sleep(for: delay)
                let last = index == Self.delays.count - 1
                while true {
                    do {
                        let reports = try await PGConnection.withConnection(url: url) { connection in
                            try EngineFillSource.fills(since: sinceNs, connection)
                        }
                        loop.submit { context in deliver(reports, context) }
                        break
                    } catch {
                        logger.error("fill re-sync from the engine's table failed", metadata: ["error": "\(error)", "retrying": "\(last)"])
                        guard last else {
                            // the last read still comes (and is retried until it succeeds)
                            loop.submit { context in deliver([], context) }
                            break
                        }
                        try? await Task.sleep(for: Self.retryDelay)
                    }
                }
            }
        }
    }
}
