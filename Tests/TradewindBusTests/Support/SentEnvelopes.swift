import Synchronization
import TradewindWire

/// Envelopes a loop reported as sent, collected across threads.
final class SentEnvelopes: Sendable {
    private let envelopes = Mutex<[Tradewind_V1_Envelope]>([])

    func append(_ envelope: Tradewind_V1_Envelope?) {
        guard let envelope else { return }
        envelopes.withLock { $0.append(envelope) }
    }

    var all: [Tradewind_V1_Envelope] { envelopes.withLock { $0 } }
}
