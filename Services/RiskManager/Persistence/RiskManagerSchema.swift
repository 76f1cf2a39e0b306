import TradewindStore

/// The risk manager's tables: every decision (one row per intent and outcome: a resent intent
/// decided otherwise adds a row), the risk state that survives restarts (trading state, kill
/// switch, limits in force), and the exposure and dedupe keys it needs after a crash.
enum RiskManagerSchema {
    static let name = "risk_manager"

    static let migrations: [Migration] = [
        Migration(version: 1, name: "decisions, risk state and exposure", sql: """
            CREATE TABLE risk_manager.decisions (
                intent_id text PRIMARY KEY,
                decision text NOT NULL CHECK (decision IN ('approved', 'denied')),
                reason_code text,
                limit_value text,
                observed_value text,
                detail text NOT NULL,
                strategy text NOT NULL,
                instrument text NOT NULL,
                client_order_id text,
                time_ns bigint NOT NULL
            );
            CREATE INDEX decisions_by_reason ON risk_manager.decisions (reason_code) WHERE decision = 'denied';

            CREATE TABLE risk_manager.risk_state (
                id integer PRIMARY KEY CHECK (id = 1),
                trading_state text NOT NULL,
                kill_switch boolean NOT NULL,
                reason text NOT NULL,
                limits text NOT NULL,
                updated_time_ns bigint NOT NULL
            );

            CREATE TABLE risk_manager.positions (
                instrument text PRIMARY KEY,
                quantity numeric NOT NULL,
                updated_time_ns bigint NOT NULL
            );

            CREATE TABLE risk_manager.pending_orders (
                client_order_id text PRIMARY KEY,
                open boolean NOT NULL,
                state text NOT NULL,
                updated_time_ns bigint NOT NULL
            );
            CREATE INDEX pending_orders_open ON risk_manager.pending_orders (client_order_id) WHERE open;
            """),
        Migration(version: 2, name: "engine snapshot and control log", sql: """
            CREATE TABLE risk_manager.engine_snapshot (
                id integer PRIMARY KEY CHECK (id = 1),
                snapshot text NOT NULL,
                updated_time_ns bigint NOT NULL
            );
            CREATE TABLE risk_manager.control_log (
                time_ns bigint NOT NULL,
                action text NOT NULL,
                accepted boolean NOT NULL,
                source text NOT NULL,
                issued_by text NOT NULL,
                reason text NOT NULL,
                PRIMARY KEY (time_ns, action, source)
            );
            """),
        Migration(version: 3, name: "dedupe keys", sql: """
            CREATE TABLE risk_manager.dedupe_keys (
                kind text NOT NULL CHECK (kind IN ('finished_order', 'fill')),
                key text NOT NULL,
                seq bigint NOT NULL,
                time_ns bigint NOT NULL,
                PRIMARY KEY (kind, key)
            );
            CREATE INDEX dedupe_keys_by_seq ON risk_manager.dedupe_keys (kind, seq);
            """),
        Migration(version: 4, name: "one decision per intent and outcome", sql: """
            ALTER TABLE risk_manager.decisions ADD COLUMN outcome text;
            UPDATE risk_manager.decisions SET outcome = coalesce(reason_code, 'APPROVED');
            ALTER TABLE risk_manager.decisions ALTER COLUMN outcome SET NOT NULL;
            ALTER TABLE risk_manager.decisions DROP CONSTRAINT decisions_pkey;
            ALTER TABLE risk_manager.decisions ADD PRIMARY KEY (intent_id, outcome);
            """),
    ]
}
