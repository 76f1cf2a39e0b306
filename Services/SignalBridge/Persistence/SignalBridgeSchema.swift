import TradewindStore

/// The signal bridge's tables: every signal it published and every intent its strategies produced.
enum SignalBridgeSchema {
    static let name = "signal_bridge"

    static let migrations: [Migration] = [
        Migration(version: 1, name: "signals and intents", sql: """
            CREATE TABLE signal_bridge.signals (
                session_ns bigint NOT NULL,
                sequence bigint NOT NULL,
                strategy text NOT NULL,
                instrument text NOT NULL,
                name text NOT NULL,
                value numeric NOT NULL,
                direction smallint NOT NULL,
                event_time_ns bigint NOT NULL,
                PRIMARY KEY (session_ns, sequence)
            );
            CREATE INDEX signals_by_instrument ON signal_bridge.signals (strategy, instrument, event_time_ns);

            CREATE TABLE signal_bridge.intents (
                intent_id text PRIMARY KEY,
                strategy text NOT NULL,
                instrument text NOT NULL,
                side text NOT NULL,
                order_type text NOT NULL,
                time_in_force text NOT NULL,
                quantity numeric NOT NULL,
                limit_price numeric,
                correlation_id text NOT NULL,
                event_time_ns bigint NOT NULL,
                session_ns bigint NOT NULL,
                sequence bigint,
                state text NOT NULL
            );
            CREATE INDEX intents_by_time ON signal_bridge.intents (strategy, event_time_ns);
            """),
    ]
}
