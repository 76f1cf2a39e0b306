import TradewindStore

/// Market data's tables: OHLCV bars as they close.
enum MarketDataSchema {
    static let name = "market_data"

    static let migrations: [Migration] = [
        Migration(version: 1, name: "ohlcv bars", sql: """
            CREATE TABLE market_data.bars (
                instrument text NOT NULL,
                start_time_ns bigint NOT NULL,
                interval_seconds integer NOT NULL,
                end_time_ns bigint NOT NULL,
                start_time timestamptz NOT NULL,
                open numeric NOT NULL,
                high numeric NOT NULL,
                low numeric NOT NULL,
                close numeric NOT NULL,
                volume numeric NOT NULL,
                trade_count integer NOT NULL,
                PRIMARY KEY (instrument, interval_seconds, start_time_ns)
            );
            """),
    ]
}
