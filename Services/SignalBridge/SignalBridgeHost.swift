import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the signal engine on the bus thread: each quote goes through the strategies, and their
/// signals and intents go out at once, stamped with the quote's event time, and are enqueued for
/// the database (signals keyed by this session and their bus sequence, intents by intent id).
final class SignalBridgeHost: BusHandler {
    private var engine: SignalEngine
    private let sessionNs: Int64
    private let store: DaemonStore
    private let view: StateSnapshot<SignalView>
    private let latency = PipelineMetrics.stage("signal")
    private let intentsPublished = Counter(label: "tradewind_intents_published_total")
    private let externalIntents = Counter(label: "tradewind_external_intents_total")

    /// In a lockstep replay, what orders the messages; nil otherwise.
    private let lockstep: LockstepDriver?

    /// `sessionNs` is this process's start time, which keys its signals in the database.
    init(engine: SignalEngine, sessionNs: Int64, store: DaemonStore, view: StateSnapshot<SignalView>, lockstep: LockstepDriver?) {
        self.engine = engine
        self.sessionNs = sessionNs
        self.store = store
        self.view = view
        self.lockstep = lockstep
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        guard let lockstep else { return process(message, context: context) }
        lockstep.receive(message, context: context, handle: { process($0, context: context) }, clock: { _ in })
    }

    private func process(_ message: BusMessage, context: BusLoopContext) {
        let outputs: [StrategyOutput]
        do {
            switch message.payload {
            case .quote(let wire)?:
                outputs = engine.apply(.quote(try Quote(wire: wire, timeNs: message.envelope.eventTimeNs)))
            case .intent(let wire)?:
                // from a research client through the intent ingress: stamped on arrival, then
                // published like the bridge's own (risk checks it like any other intent)
                let intent = try OrderIntent(wire: wire, timeNs: context.nowNs)
                guard !intent.intentId.isEmpty, !intent.strategy.isEmpty else {
                    throw WireError.invalidField(message: "OrderIntent", field: "intent_id/strategy", reason: "must be non-empty")
                }
                externalIntents.increment()
                outputs = [.intent(intent)]
            case .heartbeat?, .watermark?:
                return
            default:
                PipelineMetrics.dropUnexpectedPayload(message, logger: context.logger)
                return
            }
        } catch {
            PipelineMetrics.dropInvalidPayload(message, error: error, logger: context.logger)
            return
        }
        for output in outputs {
            switch output {
            case .signal(let signal):
                let envelope = context.publish(
                    topic: BusTopic.signal(strategy: signal.strategy, instrument: signal.instrument.description),
                    payload: .signal(.init(signal)), eventTimeNs: signal.timeNs)
                if let envelope {
                    store.enqueue(SignalBridgeRecords.signal(signal, sessionNs: sessionNs, sequence: envelope.sequence))
                }
            case .intent(let intent):
                let envelope = context.publish(
                    topic: BusTopic.intent(strategy: intent.strategy), payload: .intent(.init(intent)),
                    eventTimeNs: intent.timeNs, correlationId: intent.intentId)
                store.enqueue(SignalBridgeRecords.intent(intent, sessionNs: sessionNs, sequence: envelope?.sequence))
                intentsPublished.increment()
                context.logger.info("intent", metadata: [
                    "correlation_id": "\(intent.intentId)", "instrument": "\(intent.instrument)",
                    "side": "\(intent.side)", "quantity": "\(intent.quantity)",
                ])
            }
        }
        PipelineMetrics.record(latency, sinceNs: message.receivedAtNs, nowNs: context.nowNs)
        if !outputs.isEmpty { view.update { $0.record(outputs) } }
    }
}

/// `GET /v1/signals`: the latest signal per instrument and the last intents.
struct SignalView: Encodable, Sendable {
    var strategies: [String]
    var latest: [String: SignalEntry] = [:]
    var recentIntents: [IntentEntry] = []
    var intents = 0

    static let recentLimit = 50

    mutating func record(_ outputs: [StrategyOutput]) {
        for output in outputs {
            switch output {
            case .signal(let signal):
                latest["\(signal.strategy) \(signal.instrument)"] = SignalEntry(signal)
            case .intent(let intent):
                intents += 1
                recentIntents.append(IntentEntry(intent))
                if recentIntents.count > Self.recentLimit { recentIntents.removeFirst() }
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case strategies, latest, intents
        case recentIntents = "recent_intents"
    }
}

struct SignalEntry: Encodable, Sendable {
    var name: String
    var value: Price
    var direction: Int
    var timeNs: Int64

    init(_ signal: Signal) {
        name = signal.name
        value = signal.value
        direction = signal.direction
        timeNs = signal.timeNs
    }

    enum CodingKeys: String, CodingKey {
        case name, value, direction
        case timeNs = "time_ns"
    }
}

struct IntentEntry: Encodable, Sendable {
    var intentId: String
    var instrument: String
    var side: Side
    var orderType: OrderType
    var quantity: Quantity
    var limitPrice: Price?
    var timeNs: Int64

    init(_ intent: OrderIntent) {
        intentId = intent.intentId
        instrument = intent.instrument.description
        side = intent.side
        orderType = intent.orderType
        quantity = intent.quantity
        limitPrice = intent.limitPrice
        timeNs = intent.timeNs
    }

    enum CodingKeys: String, CodingKey {
        case instrument, side, quantity
        case intentId = "intent_id"
        case orderType = "order_type"
        case limitPrice = "limit_price"
        case timeNs = "time_ns"
    }
}
