import CZMQ
import Logging
import TradewindWire

/// Inbound path: read ready SUB sockets, validate, track sequences and heartbeats, dispatch.
extension LoopRunner {
    func receiveReadySockets() {
        for index in subscribers.indices where pollItems[index].revents & Int16(ZMQ_POLLIN) != 0 {
            let (socket, subscription) = subscribers[index]
            for _ in 0..<Self.receiveBatch {
                guard !loop.isStopRequested else { return }
                let multipart: ZMQMultipart?
                do {
                    multipart = try socket.receive()
                } catch {
                    logger.error("bus receive failed", metadata: ["error": "\(error)"])
                    break
                }
                guard let multipart else { break }
                process(multipart, from: subscription, index: index)
            }
        }
    }

    private func process(_ multipart: ZMQMultipart, from subscription: BusSubscription, index: Int) {
        let now = WallClock.nowNs()
        let message: BusMessage
        do {
            message = try BusMessageDecoder.decode(multipart, receivedAtNs: now)
        } catch {
            drop(error, from: subscription)
            return
        }
        guard let payload = message.payload else { return }
        let envelope = message.envelope
        let wanted = subscription.wants(topic: message.topic)
        if wanted {
            metrics.countReceived(BusTopic.family(for: payload))
            metrics.recordTransit(publisher: envelope.publisher, nanoseconds: now - envelope.publishTimeNs)
        } else {
            metrics.countFiltered()
        }
        let observation = subscription.detectGaps
            ? trackers[index].observe(publisher: envelope.publisher, sequence: envelope.sequence)
            : .inOrder
        var freshUpstream: String?
        if case .heartbeat(let heartbeat) = payload, staleFlags[heartbeat.service] != nil {
            monitor.recordHeartbeat(from: heartbeat.service, atNs: now)
            freshUpstream = heartbeat.service
        }
        let recovered = freshUpstream.flatMap { staleFlags[$0] == true ? $0 : nil }
        if let recovered {
            staleFlags[recovered] = false
            metrics.recordStale(upstream: recovered, stale: false)
        }
        loop.updateHealth { health in
            if wanted { health.messagesReceived += 1 } else { health.messagesFiltered += 1 }
            switch observation {
            case .gap(let publisher, _, _):
                health.sequenceGapsTotal += observation.missing
                health.sequenceGapsByPublisher[publisher, default: 0] += observation.missing
            case .restart(let publisher, _):
                health.publisherRestarts[publisher, default: 0] += 1
            case .duplicate:
                health.duplicatesTotal += 1
            case .baseline, .inOrder:
                break
            }
            if let freshUpstream {
                health.upstreams[freshUpstream]?.lastSeenNs = now
                health.upstreams[freshUpstream]?.stale = false
            }
        }
        report(observation, topic: message.topic)
        if let recovered {
            logger.info("upstream heartbeat fresh again", metadata: ["upstream": "\(recovered)"])
            loop.handler.upstreamStalenessChanged(service: recovered, stale: false, context: context)
        }
        if wanted { loop.handler.handle(message, context: context) }
    }

    private func report(_ observation: SequenceTracker.Observation, topic: String) {
        switch observation {
        case .gap(let publisher, let expected, let received):
            metrics.countGap(publisher: publisher, missing: observation.missing)
            logger.warning("bus sequence gap", metadata: [
                "publisher": "\(publisher)", "expected": "\(expected)", "received": "\(received)",
                "missing": "\(observation.missing)", "topic": "\(topic)",
            ])
            resync(publisher, loop.handler.sequenceGap(publisher: publisher, missing: observation.missing, context: context))
        case .restart(let publisher, let received):
            metrics.countRestart(publisher: publisher)
            logger.notice("bus publisher restarted", metadata: ["publisher": "\(publisher)", "sequence": "\(received)"])
            resync(publisher, loop.handler.publisherRestarted(publisher: publisher, context: context))
        case .duplicate(let publisher, let expected, let received):
            metrics.countDuplicate(publisher: publisher)
            logger.warning("bus sequence went backwards", metadata: [
                "publisher": "\(publisher)", "expected": "\(expected)", "received": "\(received)",
            ])
        case .baseline(let publisher, let sequence):
            logger.debug("bus publisher baseline", metadata: ["publisher": "\(publisher)", "sequence": "\(sequence)"])
        case .inOrder:
            break
        }
    }

    private func resync(_ publisher: String, _ recovery: GapRecovery) {
        guard recovery == .resyncing else { return }
        let now = WallClock.nowNs()
        loop.updateHealth { health in
            if health.resyncing[publisher] == nil { health.resyncing[publisher] = now }
        }
    }

    /// Counts a malformed message; logs the 1st, 2nd, 4th, 8th… of each reason to bound log volume.
    private func drop(_ reason: BusDropReason, from subscription: BusSubscription) {
        metrics.countDropped(reason)
        let count = dropCounts[reason, default: 0] + 1
        dropCounts[reason] = count
        loop.updateHealth { $0.messagesDropped[reason] = count }
        if count & (count - 1) == 0 {
            logger.warning("bus message dropped", metadata: [
                "reason": "\(reason.rawValue)", "endpoint": "\(subscription.endpoint)",
                "upstream": "\(subscription.upstreamService)", "count": "\(count)",
            ])
        }
    }

    func checkStaleness(now: Int64) {
        var changes: [(service: String, stale: Bool)] = []
        for status in monitor.status(nowNs: now) where staleFlags[status.service] != status.stale {
            staleFlags[status.service] = status.stale
            metrics.recordStale(upstream: status.service, stale: status.stale)
            changes.append((status.service, status.stale))
        }
        guard !changes.isEmpty else { return }
        loop.updateHealth { health in
            for change in changes { health.upstreams[change.service]?.stale = change.stale }
        }
        for change in changes {
            if change.stale {
                logger.warning("upstream heartbeat stale", metadata: ["upstream": "\(change.service)"])
            } else {
                logger.info("upstream heartbeat fresh again", metadata: ["upstream": "\(change.service)"])
            }
            loop.handler.upstreamStalenessChanged(service: change.service, stale: change.stale, context: context)
        }
    }
}
