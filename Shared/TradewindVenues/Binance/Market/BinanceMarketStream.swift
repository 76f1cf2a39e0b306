import Foundation
import Logging
import Synchronization
import TradewindCore
import WSClient

/// The market-data connection to Binance Spot: one combined-stream WebSocket (hummingbird's
/// `WSClient`, which answers the server's pings) and REST depth snapshots. It only moves bytes: every
/// frame and snapshot lands, stamped with its local receive time, in a bounded inbox the host drains
/// on its own thread, where the core decides what they mean. A frame from a connection the host has
/// already replaced carries that connection's number, so the host can ignore it.
public final class BinanceMarketStream: Sendable {
    public struct Endpoints: Sendable, Hashable {
        /// e.g. `wss://stream.binance.com:9443` or `wss://data-stream.binance.vision`.
        public var streamURL: String
        /// e.g. `https://api.binance.com` or `https://data-api.binance.vision`.
        public var restURL: String
        public var snapshotLimit: Int
        public var maxFrameBytes: Int
        public var requestTimeoutMs: Int

        public init(streamURL: String, restURL: String, snapshotLimit: Int, maxFrameBytes: Int, requestTimeoutMs: Int) {
            self.streamURL = streamURL
            self.restURL = restURL
            self.snapshotLimit = snapshotLimit
            self.maxFrameBytes = maxFrameBytes
            self.requestTimeoutMs = requestTimeoutMs
        }
    }

    public enum Event: Sendable {
        case opened(connection: Int, receivedNs: Int64)
        case frame(connection: Int, bytes: [UInt8], receivedNs: Int64)
        case closed(connection: Int, reason: String, receivedNs: Int64)
        case snapshot(InstrumentId, body: [UInt8], receivedNs: Int64)
        case snapshotFailed(InstrumentId, reason: String, receivedNs: Int64)
    }

    /// What the connection's tasks hand to the host, bounded: beyond `capacity` events are counted
    /// and dropped (a dropped diff shows as a gap, and the book resyncs).
    private final class Mailbox: Sendable {
        struct State {
            var events: [Event] = []
            var dropped = 0
            var task: Task<Void, Never>?
        }

        let capacity: Int
        let state = Mutex(State())

        init(capacity: Int) { self.capacity = capacity }

        func push(_ event: Event) {
            state.withLock { state in
                if state.events.count < capacity { state.events.append(event) } else { state.dropped += 1 }
            }
        }
    }

    public let endpoints: Endpoints
    private let mailbox: Mailbox
    private let transport: BinanceHTTPTransport
    private let logger: Logger

    public init(endpoints: Endpoints, inboxCapacity: Int = 200_000, logger: Logger) {
        self.endpoints = endpoints
        mailbox = Mailbox(capacity: inboxCapacity)
        transport = BinanceHTTPTransport(requestTimeoutMs: endpoints.requestTimeoutMs, maxConnectionsPerHost: 2)
        self.logger = logger
    }

    deinit { disconnect() }

    /// The combined-stream URL for `streams`.
    public func url(streams: [String]) -> String {
        "\(endpoints.streamURL)/stream?streams=\(streams.joined(separator: "/"))"
    }

    /// Opens connection number `connection` (closing any current one).
    public func connect(streams: [String], connection: Int) {
        let url = url(streams: streams)
        let configuration = WebSocketClientConfiguration(maxFrameSize: endpoints.maxFrameBytes)
        let maxMessage = endpoints.maxFrameBytes
        let logger = logger
        let mailbox = mailbox
        let task = Task {
            do {
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, _, _ in
                    mailbox.push(.opened(connection: connection, receivedNs: WallClock.nowNs()))
                    var messages = inbound.messages(maxSize: maxMessage).makeAsyncIterator()
                    while let message = try await messages.next() {
                        let bytes: [UInt8]
                        switch message {
                        case .text(let text): bytes = Array(text.utf8)
                        case .binary(let buffer): bytes = Array(buffer.readableBytesView)
                        }
                        mailbox.push(.frame(connection: connection, bytes: bytes, receivedNs: WallClock.nowNs()))
                    }
                }
                mailbox.push(.closed(connection: connection, reason: "closed by the server", receivedNs: WallClock.nowNs()))
            } catch is CancellationError {
                mailbox.push(.closed(connection: connection, reason: "closed here", receivedNs: WallClock.nowNs()))
            } catch {
                mailbox.push(.closed(connection: connection, reason: "\(error)", receivedNs: WallClock.nowNs()))
            }
        }
        let previous = mailbox.state.withLock { state in
            defer { state.task = task }
            return state.task
        }
        previous?.cancel()
    }

    /// Closes the current connection (its `.closed` event still arrives).
    public func disconnect() {
        mailbox.state.withLock { state in
            defer { state.task = nil }
            return state.task
        }?.cancel()
    }

    /// Fetches a REST depth snapshot for `instrument`; the answer arrives as an event.
    public func requestSnapshot(_ instrument: InstrumentId) {
        let symbol = instrument.symbol.uppercased()
        guard let url = URL(string: "\(endpoints.restURL)/api/v3/depth?symbol=\(symbol)&limit=\(endpoints.snapshotLimit)") else {
            mailbox.push(.snapshotFailed(instrument, reason: "bad REST URL \(endpoints.restURL)", receivedNs: WallClock.nowNs()))
            return
        }
        let (transport, mailbox) = (transport, mailbox)
        Task {
            do {
                let response = try await transport.send(method: "GET", url: url, headers: [:], body: nil)
                guard response.status == 200 else {
                    let text = String(decoding: response.body.prefix(200), as: UTF8.self)
                    mailbox.push(.snapshotFailed(instrument, reason: "HTTP \(response.status): \(text)", receivedNs: WallClock.nowNs()))
                    return
                }
                mailbox.push(.snapshot(instrument, body: Array(response.body), receivedNs: WallClock.nowNs()))
            } catch {
                mailbox.push(.snapshotFailed(instrument, reason: "\(error)", receivedNs: WallClock.nowNs()))
            }
        }
    }

    /// Moves every waiting event into `events`; returns how many were dropped (inbox full) since the
    /// last call.
    public func drain(into events: inout [Event]) -> Int {
        events.removeAll(keepingCapacity: true)
        return mailbox.state.withLock { state in
            swap(&events, &state.events)
            defer { state.dropped = 0 }
            return state.dropped
        }
    }
}

/// Wall-clock time for stamping received bytes (the only clock this module reads).
enum WallClock {
    static func nowNs() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
