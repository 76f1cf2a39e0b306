/// Venue responses: acks, fills, cancels and rejects, and the answers to queries (`.orderStatus`,
/// `.notFound`) that bring an order in line with the venue without ever inventing a fill.
extension ExecutionCore {
    mutating func applyVenue(_ event: VenueEvent) -> [ExecutionOutput] {
        switch event {
        case .accepted(let id, let venueOrderId, let time):
            return update(id, .accepted(venueOrderId: venueOrderId), timeNs: time)
        case .filled(let id, _, let tradeId, let quantity, let price, let fee, let liquidity, let time, let charged):
            guard !registry.hasSeenFill(Self.fillKey(id, tradeId)) else {
                return [.duplicateIgnored(clientOrderId: id, detail: "fill \(tradeId) already applied")]
            }
            return update(
                id, .fill(quantity: quantity, price: price, fee: fee), timeNs: time, tradeId: tradeId, liquidity: liquidity,
                charged: charged)
        case .canceled(let id, let reason, let time):
            return update(id, .canceled(reason: reason), timeNs: time)
        case .expired(let id, let reason, let time):
            return update(id, .expired(reason: reason), timeNs: time)
        case .rejected(let id, let reason, let time):
            return update(id, .rejected(reason: reason), timeNs: time)
        case .cancelRejected(let id, let reason, let time):
            return update(id, .cancelRejected(reason: reason), timeNs: time)
        case .orderStatus(let snapshot):
            return applyStatus(snapshot)
        case .notFound(let id, let time):
            return applyNotFound(clientOrderId: id, timeNs: time)
        }
    }

    /// Dedupe key of a fill: "<clientOrderId>|<tradeId>".
    static func fillKey(_ clientOrderId: String, _ tradeId: String) -> String { "\(clientOrderId)|\(tradeId)" }

    /// Applies `change` to order `id` and returns the report it implies (if any) and the new state.
    private mutating func update(
        _ id: String, _ change: OrderUpdate, timeNs: Int64, tradeId: String = "", liquidity: Liquidity = .none,
        charged: FeeCharge? = nil
    ) -> [ExecutionOutput] {
        guard var order = registry[id] else {
            return [.eventRefused(clientOrderId: id, reason: "venue event for unknown order")]
        }
        do {
            try order.apply(change, timeNs: timeNs)
        } catch {
            return [.eventRefused(clientOrderId: id, reason: error.description)]
        }
        if case .fill = change { registry.recordFill(Self.fillKey(id, tradeId), clientOrderId: id) }
        commit(order, activityNs: timeNs)
        let execution: ExecutionReport?
        switch change {
        case .accepted:
            execution = report(order, .ack, reason: order.conversion?.reason, timeNs: timeNs)
        case .fill(let quantity, let price, let fee):
            execution = report(
                order, order.status == .filled ? .fill : .partialFill, lastQuantity: quantity, lastPrice: price,
                fee: fee, liquidity: liquidity, tradeId: tradeId, commission: charged, timeNs: timeNs)
        case .canceled(let reason):
            execution = report(order, .canceled, reason: reason, timeNs: timeNs)
        case .rejected(let reason):
            execution = report(order, .rejected, reason: reason, timeNs: timeNs)
        case .expired(let reason):
            execution = report(order, .canceled, reason: reason, timeNs: timeNs)
        case .submitted, .cancelRequested, .cancelRejected:
            execution = nil
        }
        return (execution.map { [ExecutionOutput.report($0)] } ?? []) + [.orderUpdated(order)]
    }

    /// Brings the order in line with the venue's snapshot. Fills the snapshot implies must have
    /// arrived before it; if the venue still reports more filled than the engine has, the order is
    /// not finished (so the missing fills can still be applied) and a `.discrepancy` is output.
    private mutating func applyStatus(_ snapshot: VenueOrderSnapshot) -> [ExecutionOutput] {
        let id = snapshot.clientOrderId
        guard let order = registry[id] else {
            return [.eventRefused(clientOrderId: id, reason: "venue status for unknown order")]
        }
        var outputs: [ExecutionOutput] = []
        let missingFills = snapshot.filledQuantity > order.filledQuantity
        if snapshot.filledQuantity != order.filledQuantity {
            outputs.append(.discrepancy(clientOrderId: id, detail:
                "venue reports \(snapshot.filledQuantity) filled (\(snapshot.state)), engine has \(order.filledQuantity)"
                + (missingFills ? ": fills missing" : "")))
        }
        if order.status.isTerminal {
            if snapshot.state.isOpen {
                outputs.append(.discrepancy(clientOrderId: id, detail:
                    "venue reports the order \(snapshot.state) but it is \(order.status) in the engine"))
            }
            return outputs
        }
        let time = snapshot.timeNs
        if snapshot.state.isOpen || missingFills {
            if !order.isAcknowledged {
                outputs += update(id, .accepted(venueOrderId: snapshot.venueOrderId), timeNs: time)
            }
            if order.status == .pendingCancel, snapshot.state.isOpen {
                outputs.append(.venueCommand(.cancel(clientOrderId: id, instrument: order.instrument)))
            }
        } else {
            switch snapshot.state {
            case .filled:
                outputs.append(.discrepancy(clientOrderId: id, detail:
                    "venue reports the order filled at \(snapshot.filledQuantity) of \(order.quantity); engine has it \(order.status)"))
            case .canceled:
                let code: OrderReasonCode = order.status == .pendingCancel ? .canceled : .canceledAtVenue
                outputs += update(id, .canceled(reason: OrderReason(code, "venue status \(snapshot.state)")), timeNs: time)
            case .expired:
                outputs += update(id, .expired(reason: OrderReason(.expiredAtVenue, "venue status \(snapshot.state)")), timeNs: time)
            case .rejected:
                let reason = OrderReason(.rejectedAtVenue, "venue status \(snapshot.state)")
                outputs += update(id, order.filledQuantity > .zero ? .canceled(reason: reason) : .rejected(reason: reason), timeNs: time)
            case .open, .partiallyFilled:
                break
            }
        }
        if let current = registry[id] { timers.track(current, activityNs: time) }
        return outputs
    }

    /// The venue does not know the order: one never acknowledged is rejected, a working one canceled.
    private mutating func applyNotFound(clientOrderId id: String, timeNs: Int64) -> [ExecutionOutput] {
        guard let order = registry[id] else {
            return [.eventRefused(clientOrderId: id, reason: "venue event for unknown order")]
        }
        switch order.status {
        case .submitted:
            let reason = OrderReason(.notFoundAtVenue, "the venue does not know the submitted order")
            return update(id, .rejected(reason: reason), timeNs: timeNs)
        case .accepted, .partiallyFilled, .pendingCancel:
            let reason = OrderReason(.notFoundAtVenue, "the venue no longer knows the \(order.status) order")
            return update(id, .canceled(reason: reason), timeNs: timeNs)
        case .new, .filled, .canceled, .rejected, .expired:
            return []
        }
    }
}
