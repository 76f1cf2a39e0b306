/// The HELP text of every metric the suite exports, by name: the one place a metric is described.
/// `DescribedMetricsFactory` attaches it to whatever swift-metrics creates, so every family on
/// `/metrics` carries a `# HELP` line (`promtool check metrics` requires one; the e2e suite checks it).
/// A metric added without an entry here exports without HELP and fails that check.
public enum MetricHelp {
    public static func text(for name: String) -> String {
        catalog[name] ?? ""
    }

    public static let catalog: [String: String] = [
        // process and readiness (DaemonHTTPServer, MetricsBootstrap)
        "tradewind_build_info": "Build of the running daemon: always 1, labelled with its version and commit.",
        "tradewind_ready": "1 while every /ready check of the daemon passes, else 0 (evaluated at scrape time).",
        "tradewind_ready_check": "1 while the named /ready check passes, else 0 (evaluated at scrape time).",
        // bus
        "tradewind_bus_messages_published_total": "Messages this daemon published on its PUB socket, by topic family.",
        "tradewind_bus_messages_received_total": "Messages received from upstream publishers, by topic family.",
        "tradewind_bus_messages_filtered_total": "Messages received but not for this daemon (filtered by topic).",
        "tradewind_bus_messages_dropped_total": "Malformed or unusable bus messages dropped.",
        "tradewind_bus_send_errors_total": "Publishes the socket refused.",
        "tradewind_bus_sequence_gaps_total": "Sequence gaps seen from upstream publishers (messages lost).",
        "tradewind_bus_sequence_duplicates_total": "Messages with a sequence already seen (ignored).",
        "tradewind_bus_publisher_restarts_total": "Upstream publishers seen restarting (their sequence began again).",
        "tradewind_bus_transit_seconds": "Publish-to-receive time of bus messages, by publisher.",
        "tradewind_bus_heartbeat_stale": "1 while an upstream's heartbeats are overdue, else 0, by upstream.",
        "tradewind_bus_submissions_refused_total": "Work submitted to the bus loop from other threads and refused (loop stopped or queue full).",
        "tradewind_stage_latency_seconds": "Time a message spends inside a daemon, from receipt to its last output published, by stage.",
        "tradewind_tick_to_trade_seconds": "Market-data event time to the order reaching the venue adapter.",
        // database write-behind store
        "tradewind_db_queue_depth": "Records waiting in the write-behind queue for the database, by store.",
        "tradewind_db_spool_bytes": "Bytes spooled to the local journal while the database is behind or unreachable, by store.",
        "tradewind_db_write_seconds": "Time to write one batch to PostgreSQL, by store.",
        "tradewind_db_write_errors_total": "Batch writes that failed (retried with backoff), by store.",
        "tradewind_db_records_written_total": "Records written to PostgreSQL, by store.",
        "tradewind_db_records_rejected_total": "Records PostgreSQL refused outright (logged, not retried), by store.",
        "tradewind_db_reachable": "1 while the database answers, else 0, by store.",
        // market data
        "tradewind_feed_bytes_total": "Bytes received from the live venue feed.",
        "tradewind_feed_messages_total": "Live feed messages received, by instrument and stream.",
        "tradewind_feed_refused_total": "Live feed frames refused (did not parse, bad values), by kind.",
        "tradewind_feed_reconnects_total": "Reconnections of the live feed after a failure.",
        "tradewind_feed_disconnects_total": "Live feed connections dropped by the daemon, by reason.",
        "tradewind_feed_resyncs_total": "Order book re-synchronisations (snapshot requests), by instrument and reason.",
        "tradewind_feed_snapshot_failures_total": "REST depth snapshot requests that failed.",
        "tradewind_feed_inbox_dropped_total": "Feed messages dropped because the bounded inbox was full.",
        "tradewind_feed_crossed_books_total": "Times a local book was found crossed (then re-synchronised).",
        "tradewind_feed_latency_seconds": "Exchange event time to local receive time, by instrument.",
        "tradewind_feed_stale": "1 while the live feed is stale (silent longer than stale_after_ms), else 0.",
        "tradewind_feed_silence_seconds": "Seconds since the venue last sent anything, across reconnects.",
        "tradewind_book_levels": "Price levels in the local order book, by instrument and side.",
        // signals, risk
        "tradewind_intents_published_total": "Order intents the signal bridge published.",
        "tradewind_external_intents_total": "Order intents received from outside strategies (research clients).",
        "tradewind_risk_approvals_total": "Intents the risk manager approved.",
        "tradewind_risk_denials_total": "Intents the risk manager denied, by reason.",
        "tradewind_risk_fills_reconciled_total": "Fills the risk manager re-read from the execution engine's table after a gap.",
        "tradewind_risk_pending_expired_total": "Approved orders whose outcome never arrived in time (exposure released).",
        "tradewind_execution_reasons_unknown_total": "Execution reports with a reason code this build does not know.",
        "tradewind_kill_switch_changes_total": "Kill switch changes, by whether it was engaged or released.",
        "tradewind_control_commands_refused_total": "Control commands refused (bad token or bad request).",
        "tradewind_circuit_breaker_state": "Venue circuit breaker: 0 closed, 1 half-open, 2 open, by venue.",
        "tradewind_circuit_breaker_trips_total": "Times a venue circuit breaker opened, by venue.",
        "tradewind_trading_state": "1 for the current trading state (active, reducing, halted), 0 for the others.",
        "tradewind_kill_switch_engaged": "1 while trading is halted (the kill switch), else 0.",
        "tradewind_risk_daily_pnl": "Today's PnL as the risk manager counts it for the daily loss limit, in quote currency.",
        "tradewind_risk_daily_loss_limit": "The configured maximum daily loss, in quote currency (0: no limit).",
        // execution
        "tradewind_orders_submitted_total": "Orders sent to the venue.",
        "tradewind_orders_filled_total": "Orders completely filled.",
        "tradewind_orders_canceled_total": "Orders canceled.",
        "tradewind_orders_rejected_total": "Orders the venue or the OMS rejected.",
        "tradewind_orders_expired_total": "Orders that expired at the venue.",
        "tradewind_orders_duplicates_ignored_total": "Approved orders received again and ignored (idempotent by intent id).",
        "tradewind_order_events_refused_total": "Venue order events the OMS refused (impossible transitions).",
        "tradewind_order_discrepancies_total": "Differences between the OMS and the venue found when polling orders.",
        "tradewind_fills_total": "Fills received from the venue.",
        "tradewind_fills_refused_total": "Fills refused (unknown order or duplicate).",
        "tradewind_reconciliation_differences_total": "Differences found by reconciliation with the venue.",
        "tradewind_execution_books_dropped_total": "Books the simulated venue dropped (a gap in md.book) until the next snapshot.",
        "tradewind_venue_requests_total": "Requests to a real venue's API, by method and outcome.",
        "tradewind_venue_request_seconds": "Round-trip time of requests to a real venue's API, by method.",
        "tradewind_venue_retries_total": "Venue requests retried after a transient failure.",
        // positions
        "tradewind_position_quantity": "Signed position quantity, by instrument.",
        "tradewind_position_value": "Position value at the mark (quantity times mark), by instrument.",
        "tradewind_position_unrealized_pnl": "Unrealized PnL at the mark, by instrument.",
        "tradewind_position_realized_pnl": "Realized PnL net of fees, by instrument.",
        "tradewind_position_snapshots_total": "Position snapshots written.",
        "tradewind_position_fills_reconciled_total": "Fills the position tracker re-read from the execution engine's table after a gap.",
        "tradewind_portfolio_pnl": "Portfolio PnL, by kind (total, realized, unrealized).",
        "tradewind_portfolio_drawdown": "Drawdown of total PnL from its peak.",
        "tradewind_portfolio_gross_exposure": "Sum of the absolute position values.",
        // meta-health (tradewind health --serve)
        "tradewind_health_score": "The suite's health: the product of the five sensors, 0 to 1.",
        "tradewind_health_state": "1 for the current health state (green, degraded, critical, dead), 0 for the others.",
        "tradewind_health_sensor": "Each health sensor's reading, 0 (broken) to 1 (all right), by sensor.",
    ]
}
