/// When a venue's circuit opens and for how long: `failureThreshold` venue rejects within
/// `windowNs` open it; after `openDurationNs` one probe order may test the venue again.
public struct CircuitBreakerConfiguration: Sendable, Hashable, Codable {
    public var failureThreshold: Int
    public var windowNs: Int64
    public var openDurationNs: Int64

    public init(failureThreshold: Int, windowNs: Int64, openDurationNs: Int64) {
        self.failureThreshold = failureThreshold
        self.windowNs = windowNs
        self.openDurationNs = openDurationNs
    }

    /// Largest accepted failure threshold (the breaker remembers that many failure times).
    public static let maximumFailureThreshold = 10_000

    /// Checks every value is positive, naming `circuitBreaker.<field>`.
    public func validate() throws(ConfigurationError) {
        guard (1...Self.maximumFailureThreshold).contains(failureThreshold) else {
            throw ConfigurationError(
                key: "circuitBreaker.failureThreshold", value: "\(failureThreshold)",
                reason: "must be in 1...\(Self.maximumFailureThreshold)")
        }
        guard windowNs > 0 else {
            throw ConfigurationError(key: "circuitBreaker.windowNs", value: "\(windowNs)", reason: "must be > 0")
        }
        guard openDurationNs > 0 else {
            throw ConfigurationError(key: "circuitBreaker.openDurationNs", value: "\(openDurationNs)", reason: "must be > 0")
        }
    }
}

/// Whether a venue takes orders: closed (normal), open (refused), half-open (one probe at a time).
public enum CircuitState: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case closed
    case open
    case halfOpen = "half_open"

    public var description: String { rawValue }
}

/// One venue's circuit breaker, a pure state machine over venue outcomes and time.
///
/// Closed: venue rejects are remembered (at most `failureThreshold` of them); when that many fall
/// within `windowNs` the circuit opens. Open: every order is refused until `openDurationNs` passed,
/// then half-open. Half-open: one probe order is let through; its acknowledgement or fill closes the
/// circuit, its venue reject or its loss (never acknowledged) opens it again.
public struct CircuitBreaker: Sendable, Hashable, Codable {
    public private(set) var state: CircuitState
    /// When the circuit last opened (meaningful while open).
    public private(set) var openedAtNs: Int64
    /// The client order id of the half-open probe in flight, if any.
    public private(set) var probeClientOrderId: String?
    /// Times of the most recent venue rejects while closed, oldest first.
    public private(set) var failureTimesNs: [Int64]

    /// A closed breaker with no failures.
    public init() {
        state = .closed
        openedAtNs = 0
        probeClientOrderId = nil
        failureTimesNs = []
    }

    /// What happened at the venue, or the passage of time.
    public enum Event: Sendable, Hashable {
        /// A venue reject of `clientOrderId`.
        case failure(clientOrderId: String, reason: OrderReason, timeNs: Int64)
        /// An acknowledgement or fill of `clientOrderId`.
        case success(clientOrderId: String)
        /// `clientOrderId` ended without a venue verdict (canceled or rejected locally before an ack).
        case finished(clientOrderId: String)
        /// `clientOrderId` was never acknowledged in time.
        case lost(clientOrderId: String, timeNs: Int64)
        /// Risk approved `clientOrderId` for this venue.
        case approved(clientOrderId: String)
        case clock(timeNs: Int64)
    }

    /// A change of state with a readable reason.
    public struct Transition: Sendable, Hashable {
        public var from: CircuitState
        public var to: CircuitState
        public var reason: String
    }

    /// True if an order may go to the venue now (call `apply(.clock)` with the order's time first).
    public var admitsOrder: Bool {
        switch state {
        case .closed: return true
        case .open: return false
        case .halfOpen: return probeClientOrderId == nil
        }
    }

    /// Applies `event`; returns the transition it caused, if any.
    public mutating func apply(_ event: Event, configuration: CircuitBreakerConfiguration) -> Transition? {
        switch (state, event) {
        case (.closed, .failure(_, let reason, let timeNs)):
            recordFailure(at: timeNs, limit: configuration.failureThreshold)
            guard failureTimesNs.count >= configuration.failureThreshold,
                  let oldest = failureTimesNs.min(), RiskArithmetic.elapsed(from: oldest, to: timeNs) <= configuration.windowNs
            else { return nil }
            return open(
                at: timeNs,
                reason: "\(configuration.failureThreshold) venue rejects within \(configuration.windowNs) ns, last: \(reason)")
        case (.closed, .success), (.closed, .finished), (.closed, .lost), (.closed, .approved), (.closed, .clock):
            return nil
        case (.open, .clock(let timeNs)):
            guard RiskArithmetic.elapsed(from: openedAtNs, to: timeNs) >= configuration.openDurationNs else { return nil }
            state = .halfOpen
            probeClientOrderId = nil
            return Transition(from: .open, to: .halfOpen, reason: "open for \(configuration.openDurationNs) ns; next order probes the venue")
        case (.open, .failure), (.open, .success), (.open, .finished), (.open, .lost), (.open, .approved):
            return nil
        case (.halfOpen, .approved(let clientOrderId)):
            if probeClientOrderId == nil { probeClientOrderId = clientOrderId }
            return nil
        case (.halfOpen, .success(let clientOrderId)):
            guard clientOrderId == probeClientOrderId else { return nil }
            state = .closed
            probeClientOrderId = nil
            failureTimesNs = []
            return Transition(from: .halfOpen, to: .closed, reason: "probe \(clientOrderId) acknowledged by the venue")
        case (.halfOpen, .failure(let clientOrderId, let reason, let timeNs)):
            guard clientOrderId == probeClientOrderId else { return nil }
            return open(at: timeNs, reason: "probe \(clientOrderId) rejected: \(reason)")
        case (.halfOpen, .lost(let clientOrderId, let timeNs)):
            guard clientOrderId == probeClientOrderId else { return nil }
            return open(at: timeNs, reason: "probe \(clientOrderId) never acknowledged")
        case (.halfOpen, .finished(let clientOrderId)):
            if clientOrderId == probeClientOrderId { probeClientOrderId = nil }
            return nil
        case (.halfOpen, .clock):
            return nil
        }
    }

    private mutating func recordFailure(at timeNs: Int64, limit: Int) {
        failureTimesNs.append(timeNs)
        if failureTimesNs.count > limit { failureTimesNs.removeFirst(failureTimesNs.count - limit) }
    }

    private mutating func open(at timeNs: Int64, reason: String) -> Transition {
        let from = state
        state = .open
        openedAtNs = timeNs
        probeClientOrderId = nil
        failureTimesNs = []
        return Transition(from: from, to: .open, reason: reason)
    }
}
