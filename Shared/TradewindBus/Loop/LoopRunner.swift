import CZMQ
import Logging
import TradewindWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loop thread's side of a `BusLoop`: created, run and shut down on that one thread, it owns
/// the context, the sockets, the sequence and heartbeat bookkeeping, and calls the handler.
final class LoopRunner {
    /// Longest `zmq_poll` wait, so a stop request is seen promptly.
    static let maxPollMs = 10
    /// Most messages read from one socket before timers and other sockets get a turn.
    static let receiveBatch = 512

    let loop: BusLoop
    let logger: Logger
    let zmqContext: ZMQContext
    let publishSocket: ZMQSocket
    let subscribers: [(socket: ZMQSocket, subscription: BusSubscription)]
    let metrics = BusMetrics()
    let publisher: BusPublisher
    let context: BusLoopContext
    let startedAtNs: Int64
    var pollItems: [zmq_pollitem_t]
    /// One tracker per subscription, so two subscriptions to one publisher never see "duplicates".
    var trackers: [SequenceTracker]
    var monitor: HeartbeatMonitor
    var staleFlags: [String: Bool]
    var dropCounts: [BusDropReason: UInt64] = [:]

    private let heartbeatTopic: String
    private let heartbeatIntervalNs: Int64
    private let tickIntervalNs: Int64?
    private let staleCheckIntervalNs: Int64
    private var nextHeartbeatNs: Int64
    private var nextTickNs: Int64?
    private var nextStaleCheckNs: Int64

    /// Opens the context, binds the PUB socket and connects one SUB socket per subscription;
    /// on failure closes whatever it opened before throwing.
    init(loop: BusLoop) throws(BusError) {
        let configuration = loop.configuration
        let zmqContext = try ZMQContext()
        var opened: [ZMQSocket] = []
        var subscribers: [(socket: ZMQSocket, subscription: BusSubscription)] = []
        let publishSocket: ZMQSocket
        do throws(BusError) {
            publishSocket = try ZMQSocket(context: zmqContext, kind: .publisher)
            opened.append(publishSocket)
            try publishSocket.setSendHighWaterMark(configuration.highWaterMark)
            try publishSocket.bind(configuration.publishEndpoint)
            for subscription in configuration.subscriptions {
                let socket = try ZMQSocket(context: zmqContext, kind: .subscriber)
                opened.append(socket)
                try socket.setReceiveHighWaterMark(configuration.highWaterMark)
                try socket.setMaxMessageSize(configuration.maxMessageBytes)
                for prefix in subscription.socketPrefixes { try socket.subscribe(prefix: prefix) }
                if subscription.binds {
                    try socket.bind(subscription.endpoint)
                } else {
                    try socket.connect(subscription.endpoint)
                }
                subscribers.append((socket, subscription))
            }
        } catch {
            opened.forEach { $0.close() }
            try? zmqContext.terminate()
            throw error
        }
        let now = WallClock.nowNs()
        let upstreams = configuration.subscriptions.filter(\.expectsHeartbeats).map(\.upstreamService)
        self.loop = loop
        self.logger = loop.logger
        self.zmqContext = zmqContext
        self.publishSocket = publishSocket
        self.subscribers = subscribers
        var pollItems = subscribers.map {
            zmq_pollitem_t(socket: $0.socket.rawHandle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        }
        if let wake = loop.wake {
            // last item: submitted work wakes the poll (see `BusLoop.submit`)
            pollItems.append(zmq_pollitem_t(socket: nil, fd: wake.readFd, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        self.pollItems = pollItems
        self.trackers = Array(repeating: SequenceTracker(), count: subscribers.count)
        self.publisher = BusPublisher(publisher: configuration.service, socket: publishSocket, metrics: metrics)
        self.context = BusLoopContext(loop: loop, publisher: publisher, logger: loop.logger)
        self.startedAtNs = now
        self.monitor = HeartbeatMonitor(
            upstreams: upstreams, timeoutNs: configuration.heartbeatTimeout.nanoseconds, startedAtNs: now)
        self.staleFlags = Dictionary(upstreams.map { ($0, false) }, uniquingKeysWith: { first, _ in first })
        self.heartbeatTopic = BusTopic.heartbeat(service: configuration.service)
        self.heartbeatIntervalNs = configuration.heartbeatInterval.nanoseconds
        self.tickIntervalNs = configuration.tickInterval?.nanoseconds
        self.staleCheckIntervalNs = min(50_000_000, max(1_000_000, configuration.heartbeatTimeout.nanoseconds / 4))
        self.nextHeartbeatNs = now
        self.nextTickNs = tickIntervalNs.map { now + $0 }
        self.nextStaleCheckNs = now
        let statuses = monitor.status(nowNs: now)
        loop.updateHealth { health in
            for status in statuses { health.upstreams[status.service] = status }
        }
        for upstream in upstreams { metrics.recordStale(upstream: upstream, stale: false) }
        logger.info("bus loop started", metadata: [
            "publish_endpoint": "\(configuration.publishEndpoint)",
            "subscriptions": "\(configuration.subscriptions.map { "\($0.upstreamService)@\($0.endpoint)" })",
        ])
    }

    /// Polls and dispatches until the loop is asked to stop. Publishes the first heartbeat at once.
    func run() {
        runTimers(now: WallClock.nowNs())
        loop.handler.started(context: context)
        while !loop.isStopRequested {
            for work in loop.takeInbox() {
                guard !loop.isStopRequested else { return }
                work(context)
            }
            let now = WallClock.nowNs()
            runTimers(now: now)
            guard !loop.isStopRequested else { return }
            if poll(timeoutMs: pollTimeoutMs(now: now)) > 0 {
                if let wake = loop.wake, let last = pollItems.last, last.revents & Int16(ZMQ_POLLIN) != 0 {
                    wake.drain()
                }
                receiveReadySockets()
            }
        }
    }

    /// Closes every socket (LINGER 0) and terminates the context.
    func shutdown() {
        loop.handler.stopped(context: context)
        subscribers.forEach { $0.socket.close() }
        publishSocket.close()
        do {
            try zmqContext.terminate()
        } catch {
            logger.error("bus context termination failed", metadata: ["error": "\(error)"])
        }
        logger.info("bus loop stopped", metadata: ["messages_published": "\(publisher.messagesPublished)"])
    }

    private func runTimers(now: Int64) {
        if Self.isDue(nextHeartbeatNs, now: now, interval: heartbeatIntervalNs) {
            publishHeartbeat(now: now)
            nextHeartbeatNs = Self.nextDeadline(after: nextHeartbeatNs, interval: heartbeatIntervalNs, now: now)
        }
        if let interval = tickIntervalNs, let next = nextTickNs, Self.isDue(next, now: now, interval: interval) {
            nextTickNs = Self.nextDeadline(after: next, interval: interval, now: now)
            loop.handler.tick(nowNs: now, context: context)
        }
        if Self.isDue(nextStaleCheckNs, now: now, interval: staleCheckIntervalNs) {
            checkStaleness(now: now)
            nextStaleCheckNs = Self.nextDeadline(after: nextStaleCheckNs, interval: staleCheckIntervalNs, now: now)
        }
    }

    private func publishHeartbeat(now: Int64) {
        var heartbeat = Tradewind_V1_Heartbeat()
        heartbeat.service = loop.configuration.service
        heartbeat.version = loop.configuration.version
        heartbeat.startedAtNs = startedAtNs
        heartbeat.messagesPublished = publisher.messagesPublished + 1
        context.publish(topic: heartbeatTopic, payload: .heartbeat(heartbeat), eventTimeNs: now)
        loop.heartbeatPublished(nowNs: now)
    }

    private func pollTimeoutMs(now: Int64) -> Int {
        var deadline = min(nextHeartbeatNs, nextStaleCheckNs)
        if let nextTickNs { deadline = min(deadline, nextTickNs) }
        let waitNs = max(0, deadline - now)
        return min(Self.maxPollMs, Int((waitNs + 999_999) / 1_000_000))
    }

    private func poll(timeoutMs: Int) -> Int32 {
        let count = Int32(pollItems.count)
        let rc = pollItems.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, timeoutMs) }
        if rc < 0 {
            let error = ZMQErrno.current()
            if error.code != EINTR {
                logger.error("zmq_poll failed", metadata: ["error": "\(error.reason)"])
            }
            return 0
        }
        return rc
    }

    /// A deadline is due when reached, or when the wall clock jumped back by more than an interval.
    static func isDue(_ deadline: Int64, now: Int64, interval: Int64) -> Bool {
        now >= deadline || deadline - now > interval
    }

    /// The next deadline on the same cadence, or a fresh one if the loop fell behind or the clock jumped.
    static func nextDeadline(after deadline: Int64, interval: Int64, now: Int64) -> Int64 {
        let next = deadline &+ interval
        return next <= now || next - now > interval ? now &+ interval : next
    }
}
