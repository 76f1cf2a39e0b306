import Logging
import TradewindWire

/// What a handler may do from the loop thread: publish, read the clock, stop the loop.
/// Valid only on the loop thread, inside handler callbacks and submitted work.
public final class BusLoopContext {
    /// This daemon's service name (the envelope publisher).
    public let service: String
    public let logger: Logger
    private let publisher: BusPublisher
    private let loop: BusLoop

    init(loop: BusLoop, publisher: BusPublisher, logger: Logger) {
        self.service = loop.configuration.service
        self.loop = loop
        self.publisher = publisher
        self.logger = logger
    }

    /// Wall-clock now (CLOCK_REALTIME ns), the time to stamp on events created here.
    public var nowNs: Int64 { WallClock.nowNs() }

    /// Messages this loop has published, heartbeats included.
    public var messagesPublished: UInt64 { publisher.messagesPublished }

    /// A snapshot of the loop's health.
    public var health: BusHealth { loop.health }

    /// Publishes `payload` on `topic` and returns the envelope sent; nil if the loop is stopping
    /// or the send failed (logged, and counted in `BusHealth.sendErrors`).
    @discardableResult
    public func publish(
        topic: String,
        payload: Tradewind_V1_Envelope.OneOf_Payload,
        eventTimeNs: Int64,
        correlationId: String = ""
    ) -> Tradewind_V1_Envelope? {
        guard !loop.isStopRequested else { return nil }
        do {
            let envelope = try publisher.publish(
                topic: topic, payload: payload, eventTimeNs: eventTimeNs, correlationId: correlationId)
            loop.updateHealth { $0.messagesPublished = envelope.sequence }
            return envelope
        } catch {
            loop.updateHealth { $0.sendErrors += 1 }
            logger.error("bus publish failed", metadata: [
                "topic": "\(topic)", "correlation_id": "\(correlationId)", "error": "\(error)",
            ])
            return nil
        }
    }

    /// The host re-synced what `publisher`'s lost messages carried (after `GapRecovery.resyncing`).
    public func resyncFinished(from publisher: String) {
        loop.updateHealth { $0.resyncing[publisher] = nil }
    }

    /// Asks the loop to stop after the current callback; nothing more is sent.
    public func requestStop() { loop.stop() }
}
