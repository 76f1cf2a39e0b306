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
        let open = slice.ordersToPoll
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

    /// Starts a reconciliation if one is due (`VenueReconciliation` decides).
    func reconcileIfDue(context: BusLoopContext) {
        guard let run = venueReconciliation.start(at: context.nowNs, openOrders: slice.core.openOrders, fills: book.totals.fills)
        else { return }
        let instruments = settings.instruments.keys.sorted()
        context.logger.info("reconciling with the venue", metadata: [
            "trigger": "\(run.trigger.rawValue)", "venue": "\(venueName)", "engine_open_orders": "\(slice.core.openOrderCount)",
        ])
        guard let gateway else {
            // the simulated venue lives in this process: compared in place, at once
            guard let (report, outputs) = slice.reconcileWithSimulatedVenue(
                policy: settings.reconciliationPolicy, instruments: instruments, sinceNs: run.tradesSinceNs, timeNs: run.startedNs)
            else { return }
            process(outputs, context: context)
            venueReconciliation.completedInProcess(run)
            let venueOpenOrders = slice.link?.venue.openOrders(instruments: instruments).count ?? 0
            finished(report, run: run, venueOpenOrders: venueOpenOrders, venueTrades: 0, balancesChecked: false, context: context)
            return
        }
        let adapter = gateway.adapter
        gateway.run({ () async -> Result<VenueState, VenueError> in
            do throws(VenueError) {
                let open = try await adapter.openOrders(instruments: instruments)
                var trades: [VenueTrade] = []
                for instrument in instruments { trades += try await adapter.trades(instrument: instrument, sinceNs: run.tradesSinceNs) }
                return .success(VenueState(openOrders: open, trades: trades, account: try await adapter.account()))
            } catch {
                return .failure(error)
            }
        }, deliver: { [self] result, context in
            finishReconciliation(result, run: run, context: context)
        })
    }

    struct VenueState: Sendable {
        var openOrders: [VenueOrderSnapshot]
        var trades: [VenueTrade]
        var account: VenueAccount
    }

    private func finishReconciliation(_ result: Result<VenueState, VenueError>, run: VenueReconciliation.Run, context: BusLoopContext) {
        let nowNs = context.nowNs
        switch result {
        case .failure(let error):
            venueReconciliation.failed(run, at: nowNs)
            let record = reconciliation.failed(trigger: run.trigger, venue: venueName, startedNs: run.startedNs, finishedNs: nowNs, error: error)
            store.enqueue(contentsOf: ReconciliationRecords.run(record))
            context.logger.error("reconciliation failed", metadata: ["trigger": "\(run.trigger.rawValue)", "error": "\(error)"])
        case .success(let state):
            let (report, balancesChecked) = venueReconciliation.reconcile(
                run, core: slice.core, openOrders: state.openOrders, trades: state.trades, account: state.account,
                fills: book.totals.fills, at: nowNs)
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
            finished(
                report, run: run, venueOpenOrders: state.openOrders.count, venueTrades: state.trades.count,
                balancesChecked: balancesChecked, context: context)
        }
    }

    private func finished(
        _ report: ReconciliationReport, run: VenueReconciliation.Run, venueOpenOrders: Int, venueTrades: Int, balancesChecked: Bool,
        context: BusLoopContext
    ) {
        let record = reconciliation.finished(
            trigger: run.trigger, venue: venueName, startedNs: run.startedNs, finishedNs: context.nowNs,
            engineOpenOrders: slice.core.openOrderCount, venueOpenOrders: venueOpenOrders, venueTrades: venueTrades,
            balancesChecked: balancesChecked, differences: report.differences)
        store.enqueue(contentsOf: ReconciliationRecords.run(record))
        for difference in report.differences {
            metrics.difference(difference.kind)
            context.logger.warning("reconciliation difference", metadata: [
                "kind": "\(difference.kind.rawValue)", "instrument": "\(difference.instrument.map { "\($0)" } ?? "")",
                "client_order_id": "\(difference.clientOrderId ?? "")", "venue_order_id": "\(difference.venueOrderId ?? "")",
                "detail": "\(difference.detail)", "action": "\(difference.action.rawValue)",
            ])
        }
        context.logger.info("reconciliation finished", metadata: [
            "trigger": "\(run.trigger.rawValue)", "differences": "\(report.differences.count)",
            "venue_open_orders": "\(venueOpenOrders)", "venue_trades": "\(venueTrades)",
        ])
        viewIsStale = true
    }
}
