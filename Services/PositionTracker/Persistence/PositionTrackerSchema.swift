import TradewindStore

/// The position tracker's tables: every fill it applied (in application order), the current
/// positions, periodic snapshots to restart from, and realized PnL per UTC day.
enum PositionTrackerSchema {
    static let name = "position_tracker"

    static let migrations: [Migration] = [
        Migration(version: 1, name: "fills applied, positions, snapshots and daily pnl", sql: """
            CREATE TABLE position_tracker.fills_applied (
                fill_key text PRIMARY KEY,
                applied_seq bigint NOT NULL UNIQUE,
                instrument text NOT NULL,
                side text NOT NULL,
                quantity numeric NOT NULL,
                price numeric NOT NULL,
                fee numeric NOT NULL,
                realized_pnl numeric NOT NULL,
                trade_id text NOT NULL,
                client_order_id text NOT NULL,
                intent_id text NOT NULL,
                event_number integer NOT NULL,
                event_time_ns bigint NOT NULL,
                day date NOT NULL,
                report text NOT NULL
            );
            CREATE INDEX fills_applied_by_instrument ON position_tracker.fills_applied (instrument, applied_seq);

            CREATE TABLE position_tracker.positions (
                instrument text PRIMARY KEY,
                quantity numeric NOT NULL,
                average_price numeric NOT NULL,
                cost_basis numeric NOT NULL,
                realized_pnl numeric NOT NULL,
                unrealized_pnl numeric NOT NULL,
                fees numeric NOT NULL,
                fill_count integer NOT NULL,
                mark_price numeric,
                updated_time_ns bigint NOT NULL,
                applied_seq bigint NOT NULL,
                state text NOT NULL
            );

            CREATE TABLE position_tracker.position_snapshots (
                snapshot_time_ns bigint PRIMARY KEY,
                applied_seq bigint NOT NULL,
                taken_at timestamptz NOT NULL,
                open_positions integer NOT NULL,
                total_pnl numeric NOT NULL,
                peak_total_pnl numeric NOT NULL,
                positions text NOT NULL,
                portfolio text NOT NULL
            );
            CREATE INDEX position_snapshots_latest ON position_tracker.position_snapshots (applied_seq, snapshot_time_ns);

            CREATE TABLE position_tracker.daily_pnl (
                day date PRIMARY KEY,
                realized_pnl numeric NOT NULL,
                fees numeric NOT NULL,
                fill_count integer NOT NULL,
                applied_seq bigint NOT NULL
            );
            """),
    ]
}
