/// The life of a live feed's connection, as a state machine over time the host feeds in: when to
/// connect, when a silent feed is stale, when to rotate before the venue's connection limit, how
/// long to back off (exponentially, with seeded jitter) after a failure. The host opens and closes
/// the socket when told (`Output.connect` / `.disconnect`) and reports what happened to it.
public struct FeedConnection: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// A connected feed with no message for this long is stale: dropped and reconnected.
        public var staleAfterNs: Int64
        /// A connection attempt that has not opened after this long is abandoned.
        public var connectTimeoutNs: Int64
        /// The first retry delay; each further failure doubles it up to `maxBackoffNs`.
        public var initialBackoffNs: Int64
        public var maxBackoffNs: Int64
        /// Reconnect once a connection is this old (Binance cuts connections at 24 h).
        public var rotateAfterNs: Int64

        public init(
            staleAfterNs: Int64, connectTimeoutNs: Int64 = 10_000_000_000, initialBackoffNs: Int64 = 500_000_000,
            maxBackoffNs: Int64 = 30_000_000_000, rotateAfterNs: Int64 = 23 * 3_600_000_000_000
        ) {
            self.staleAfterNs = staleAfterNs
            self.connectTimeoutNs = connectTimeoutNs
            self.initialBackoffNs = initialBackoffNs
            self.maxBackoffNs = maxBackoffNs
            self.rotateAfterNs = rotateAfterNs
        }
    }

    public enum State: Sendable, Hashable {
        case idle
        case connecting(sinceNs: Int64)
        case streaming(sinceNs: Int64, lastMessageNs: Int64)
        case waiting(untilNs: Int64)
    }

    public enum Event: Sendable, Hashable {
        case start(timeNs: Int64)
        /// The socket opened (handshake done).
        case opened(timeNs: Int64)
        /// A frame arrived (any frame: data, control answer).
        case message(timeNs: Int64)
        /// The socket closed or failed, for whatever reason.
        case closed(timeNs: Int64)
        /// The venue announced it will close this connection.
        case serverShutdown(timeNs: Int64)
        case clock(timeNs: Int64)
    }

    /// Why the machine closes a connection itself.
    public enum DisconnectReason: String, Sendable, Hashable, CaseIterable {
        case stale, rotation, connectTimeout = "connect_timeout", serverShutdown = "server_shutdown"
    }

    /// The feed's state as the suite announces it (a feed-state event and the readiness check).
    public enum FeedState: String, Sendable, Hashable, CaseIterable {
        case connecting, live, stale, reconnecting
    }

    public enum Output: Sendable, Hashable {
        /// Open a new connection (`attempt` counts failures since the last one that carried data).
        case connect(attempt: Int)
        /// Close the current connection (the host then reports `.closed`, which this ignores).
        case disconnect(DisconnectReason)
        /// The feed's announced state changed.
        case feedState(FeedState, reason: String)
    }

    public let configuration: Configuration
    public private(set) var state: State = .idle
    public private(set) var feedState: FeedState = .connecting
    /// Failed attempts since a connection last carried data.
    public private(set) var failures = 0
    private var random: SeededGenerator

    public init(configuration: Configuration, seed: UInt64) {
        self.configuration = configuration
        random = SeededGenerator(seed: seed)
    }

    public mutating func apply(_ event: Event) -> [Output] {
        switch (state, event) {
        case (.idle, .start(let time)):
            return connect(at: time)
        case (.idle, _), (_, .start):
            return []

        case (.connecting, .opened(let time)):
            state = .streaming(sinceNs: time, lastMessageNs: time)
            return []
        case (.connecting(let since), .clock(let time)):
            guard time - since >= configuration.connectTimeoutNs else { return [] }
            return [.disconnect(.connectTimeout)] + retry(at: time, state: .reconnecting, reason: "connect timed out")
        case (.connecting, .closed(let time)):
            return retry(at: time, state: .reconnecting, reason: "connection failed")
        case (.connecting, .message), (.connecting, .serverShutdown):
            return []

        case (.streaming(let since, _), .message(let time)):
            state = .streaming(sinceNs: since, lastMessageNs: time)
            failures = 0
            return announce(.live, reason: "receiving")
        case (.streaming(let since, let last), .clock(let time)):
            if time - last >= configuration.staleAfterNs {
                return [.disconnect(.stale)] + retry(at: time, state: .stale, reason: "no message for \((time - last) / 1_000_000) ms")
            }
            if time - since >= configuration.rotateAfterNs {
                state = .waiting(untilNs: time)
                return [.disconnect(.rotation)] + announce(.reconnecting, reason: "rotating the connection before the venue's limit")
            }
            return []
        case (.streaming, .serverShutdown(let time)):
            state = .waiting(untilNs: time)
            return [.disconnect(.serverShutdown)] + announce(.reconnecting, reason: "the server is shutting the connection")
        case (.streaming, .closed(let time)):
            return retry(at: time, state: .reconnecting, reason: "connection closed")
        case (.streaming, .opened):
            return []

        case (.waiting(let until), .clock(let time)):
            guard time >= until else { return [] }
            return connect(at: time)
        case (.waiting, .opened), (.waiting, .message), (.waiting, .closed), (.waiting, .serverShutdown):
            return []
        }
    }

    /// The delay before retry number `failures` (1-based): the exponential step, with the upper half
    /// jittered so that many clients do not reconnect in step.
    public mutating func backoffNs(failures: Int) -> Int64 {
        let exponent = min(max(failures - 1, 0), 30)
        let step = min(configuration.maxBackoffNs, configuration.initialBackoffNs.multipliedReportingOverflow(by: 1 << exponent).partialValue)
        let ceiling = step > 0 ? step : configuration.maxBackoffNs
        let half = ceiling / 2
        return half + Int64(random.nextBounded(UInt64(max(half, 1))))
    }

    private mutating func connect(at time: Int64) -> [Output] {
        state = .connecting(sinceNs: time)
        return [.connect(attempt: failures)]
    }

    private mutating func retry(at time: Int64, state announced: FeedState, reason: String) -> [Output] {
        failures += 1
        state = .waiting(untilNs: time + backoffNs(failures: failures))
        return announce(announced, reason: reason)
    }

    private mutating func announce(_ next: FeedState, reason: String) -> [Output] {
        guard next != feedState else { return [] }
        feedState = next
        return [.feedState(next, reason: reason)]
    }
}
