import Logging
import Metrics
import Synchronization
import TradewindBus
import TradewindCore
import TradewindVenues

/// Carries the OMS's venue commands off the bus thread to the venue adapter and the venue's
/// answers back onto it, as `VenueEvent`s in the order the venue gave them.
///
/// Calls for one order run one after another (a cancel never overtakes its submit); calls for
/// different orders run concurrently. Failures become events only where that is certain:
/// a submit that was refused or that certainly never reached the venue (retries exhausted on a
/// transient error) is rejected; an unknown outcome produces nothing, so the order stays in
/// flight until the OMS's in-flight timeout queries it.
final class VenueGateway: Sendable {
    let adapter: any VenueAdapter
    private let logger: Logger
    private let chains = Mutex<[String: (token: UInt64, task: Task<Void, Never>)]>([:])
    private let tokens = Atomic<UInt64>(0)
    private let loop = Mutex<BusLoop?>(nil)

    init(adapter: any VenueAdapter, logger: Logger) {
        self.adapter = adapter
        self.logger = logger
    }

    /// Where answers are delivered: `deliver` runs on the loop thread. Set once the loop exists.
    func attach(_ loop: BusLoop) {
        self.loop.withLock { $0 = loop }
    }

    /// Runs `command` at the venue after any earlier call for the same order, then hands the
    /// resulting events to `deliver` on the bus thread.
    func send(_ command: VenueCommand, deliver: @escaping @Sendable ([VenueEvent], BusLoopContext) -> Void) {
        let id = command.clientOrderId
        let token = tokens.add(1, ordering: .relaxed).newValue
        chains.withLock { running in
            let previous = running[id]?.task
            let task = Task { [self] in
                await previous?.value
                let events = await perform(command)
                post { context in deliver(events, context) }
                chains.withLock { running in
                    if running[id]?.token == token { running[id] = nil }
                }
            }
            running[id] = (token, task)
        }
    }

    /// Runs `work` off the bus thread and delivers its result on it (polls, reconciliation fetches).
    func run<T: Sendable>(_ work: @escaping @Sendable () async -> T, deliver: @escaping @Sendable (T, BusLoopContext) -> Void) {
        Task { [self] in
            let result = await work()
            post { context in deliver(result, context) }
        }
    }

    private func post(_ work: @escaping @Sendable (BusLoopContext) -> Void) {
        guard let loop = loop.withLock({ $0 }) else { return }
        loop.submit(work)
    }

    private func perform(_ command: VenueCommand) async -> [VenueEvent] {
        let started = ContinuousClock.now
        let operation: String
        let result: Result<[VenueEvent], VenueError>
        switch command {
        case .submit(let order):
            operation = "submit"
            result = await capture { () async throws(VenueError) in try await adapter.submit(order) }
        case .cancel(let id, let instrument):
            operation = "cancel"
            result = await capture { () async throws(VenueError) in try await adapter.cancel(clientOrderId: id, instrument: instrument) }
        case .query(let id, let instrument):
            operation = "query"
            result = await capture { () async throws(VenueError) in try await adapter.query(clientOrderId: id, instrument: instrument) }
        }
        VenueMetrics.record(venue: adapter.name, operation: operation, result: result, since: started)
        switch result {
        case .success(let events):
            return events
        case .failure(let error):
            logger.warning("venue call failed", metadata: [
                "venue": "\(adapter.name)", "operation": "\(operation)", "client_order_id": "\(command.clientOrderId)",
                "error": "\(error)",
            ])
            return command.eventsOnFailure(error, timeNs: WallClock.nowNs())
        }
    }

    private func capture(_ body: () async throws(VenueError) -> [VenueEvent]) async -> Result<[VenueEvent], VenueError> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}

/// Venue call metrics: requests by operation and outcome, their latency, and retries. Handles are
/// made once per label set, not on every call.
enum VenueMetrics {
    private static let requests = Mutex<[String: Counter]>([:])
    private static let durations = Mutex<[String: Metrics.Timer]>([:])

    static func record(venue: String, operation: String, result: Result<[VenueEvent], VenueError>, since start: ContinuousClock.Instant) {
        let outcome: String
        switch result {
        case .success: outcome = "ok"
        case .failure(let error): outcome = error.kind
        }
        let counter = requests.withLock { cache in
            let key = "\(venue)|\(operation)|\(outcome)"
            if let counter = cache[key] { return counter }
            let counter = Counter(label: "tradewind_venue_requests_total", dimensions: [("venue", venue), ("operation", operation), ("outcome", outcome)])
            cache[key] = counter
            return counter
        }
        counter.increment()
        let timer = durations.withLock { cache in
            let key = "\(venue)|\(operation)"
            if let timer = cache[key] { return timer }
            let timer = Metrics.Timer(label: "tradewind_venue_request_seconds", dimensions: [("venue", venue), ("operation", operation)])
            cache[key] = timer
            return timer
        }
        timer.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }

    /// A retry (rare): counted without a cache.
    static func retried(venue: String, operation: String, error: VenueError) {
        Counter(label: "tradewind_venue_retries_total", dimensions: [("venue", venue), ("operation", operation), ("error", error.kind)])
            .increment()
    }
}
