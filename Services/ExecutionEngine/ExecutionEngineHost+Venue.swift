import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindVenues

/// The venue side of the host: commands to a real venue through the gateway, polls for fills, and
/// reconciliation (with a real venue off the bus thread, with the simulated one in place).
extension ExecutionEngineHost {
    func send(_ command: VenueCommand, context: BusLoopContext) {
        gateway?.send(command) { [self] events, context in venueEvents(events, context: context) }
    }

    func poll(_ gateway: VenueGateway, context: BusLoopContext) {
        pollInFlight = true
        let adapter = gateway.adapter
        // only orders the venue acknowledged: one whose submit is still in flight would look unknown
        // to the venue and be resolved wrongly; in-flight orders are queried by the OMS's timeout,
        // in turn behind their submit (VenueGateway)
        let open = slice.core.openOrders.filter { $0.status != .new && $0.venueOrderId != nil }
        gateway.run({ () async -> Result<[VenueEvent], VenueError> in
            do throws(VenueError) {
                return .success(try await adapter.poll(openOrders: open))
            } catch {
                return .failure(error)
            }
        }, deliver: { [self] result, context in
            pollInFlight = false
            switch result {
            case .success(let events): venueEvents(events, context: context)
            case .failure(let error):
                context.logger.warning("venue poll failed", metadata: ["venue": "\(adapter.name)", "error": "\(error)"])
            }
        })
    }

    func reconcile(trigger: ReconciliationTracker.Trigger, context: BusLoopContext) {
        let startedNs = context.nowNs
        let instruments = settings.instruments.keys.sorted()
        let sinceNs = reconciliation.tradesSinceNs(openOrders: slice.core.openOrders, nowNs: startedNs)
        context.logger.info("reconciling with the venue", metadata: [
            "trigger": "\(trigger.rawValue)", "venue": "\(venueName)", "engine_open_orders": "\(slice.core.openOrderCount)",
        ])
        guard let gateway else {
            // the simulated venue lives in this process: compared in place, at once
            guard let (report, outputs) = slice.reconcileWithSimulatedVenue(
                policy: settings.reconciliationPolicy, instruments: instruments, sinceNs: sinceNs, timeNs: startedNs)
            else { return }
            process(outputs, context: context)
            let venue = slice.link?.venue
            finished(
                report, trigger: trigger, startedNs: startedNs, venueOpenOrders: venue?.openOrders(instruments: instruments).count ?? 0,
                venueTrades: 0, balancesChecked: false, context: context)
            return
        }
        reconciliationInFlight = true
        let adapter = gateway.adapter
        let fillsBefore = book.totals.fills  // balances are compared only if no fill arrives meanwhile
        gateway.run({ () async -> Result<VenueState, VenueError> in
            do throws(VenueError) {
                let open = try await adapter.openOrders(instruments: instruments)
                var trades: [VenueTrade] = []
                for instrument in instruments { trades += try await adapter.trades(instrument: instrument, sinceNs: sinceNs) }
                return .success(VenueState(openOrders: open, trades: trades, account: try await adapter.account()))
            } catch {
                return .failure(error)
            }
        }, deliver: { [self] result, context in
            reconciliationInFlight = false
            finishReconciliation(result, trigger: trigger, startedNs: startedNs, fillsChanged: book.totals.fills != fillsBefore, context: context)
        })
    }

    struct VenueState: Sendable {
        var openOrders: [VenueOrderSnapshot]
        var trades: [VenueTrade]
        var account: VenueAccount
    }

    private func finishReconciliation(
        _ result: Result<VenueState, VenueError>, trigger: ReconciliationTracker.Trigger, startedNs: Int64, fillsChanged: Bool,
        context: BusLoopContext
    ) {
        let nowNs = context.nowNs
        switch result {
        case .failure(let error):
            let run = reconciliation.failed(trigger: trigger, venue: venueName, startedNs: startedNs, finishedNs: nowNs, error: error)
            store.enqueue(contentsOf: ReconciliationRecords.run(run))
            context.logger.error("reconciliation failed", metadata: ["trigger": "\(trigger.rawValue)", "error": "\(error)"])
            nextReconciliationNs = nowNs + (reconciliation.startupComplete ? settings.reconciliationInterval.nanoseconds : Self.startupRetryNs)
        case .success(let state):
            // balances are compared only when no fill landed while they were fetched
            let compareBalances = ledger != nil && !fillsChanged
            let report = Reconciler.reconcile(
                core: slice.core, venueOpenOrders: state.openOrders, venueTrades: state.trades,
                expectedBalances: compareBalances ? ledger?.expectedBalances : nil,
                account: compareBalances ? state.account : nil,
                policy: settings.reconciliationPolicy, timeNs: nowNs)
            for event in report.events { apply(.reconciled(event), context: context) }
            for command in report.commands {
                guard slice.core.order(clientOrderId: command.clientOrderId) == nil else {
                    send(command, context: context)
                    continue
                }
                // an order only the venue has: its answers concern no order of the OMS, just the log
                gateway?.send(command) { events, context in
                    for event in events {
                        context.logger.notice("venue-only order", metadata: [
                            "client_order_id": "\(command.clientOrderId)", "venue_event": "\(event)",
                        ])
                    }
                }
            }
            if ledger == nil {
                // the first view of the account is the baseline (it already holds any fill just applied)
                ledger = BalanceLedger(baseline: state.account, instruments: settings.instruments)
            }
            finished(
                report, trigger: trigger, startedNs: startedNs, venueOpenOrders: state.openOrders.count,
                venueTrades: state.trades.count, balancesChecked: compareBalances, context: context)
        }
    }

    private func finished(
        _ report: ReconciliationReport, trigger: ReconciliationTracker.Trigger, startedNs: Int64, venueOpenOrders: Int,
        venueTrades: Int, balancesChecked: Bool, context: BusLoopContext
    ) {
        let nowNs = context.nowNs
        let run = reconciliation.finished(
            trigger: trigger, venue: venueName, startedNs: startedNs, finishedNs: nowNs,
            engineOpenOrders: slice.core.openOrderCount, venueOpenOrders: venueOpenOrders, venueTrades: venueTrades,
            balancesChecked: balancesChecked, differences: report.differences)
        store.enqueue(contentsOf: ReconciliationRecords.run(run))
        for difference in report.differences {
            metrics.difference(difference.kind)
            context.logger.warning("reconciliation difference", metadata: [
                "kind": "\(difference.kind.rawValue)", "instrument": "\(difference.instrument.map { "\($0)" } ?? "")",
                "client_order_id": "\(difference.clientOrderId ?? "")", "venue_order_id": "\(difference.venueOrderId ?? "")",
                "detail": "\(difference.detail)", "action": "\(difference.action.rawValue)",
            ])
        }
        context.logger.info("reconciliation finished", metadata: [
            "trigger": "\(trigger.rawValue)", "differences": "\(report.differences.count)",
            "venue_open_orders": "\(venueOpenOrders)", "venue_trades": "\(venueTrades)",
        ])
        // the simulated venue is this process: a periodic comparison with it would only repeat itself
        nextReconciliationNs = gateway == nil ? .max : nowNs + settings.reconciliationInterval.nanoseconds
        viewIsStale = true
    }
}
