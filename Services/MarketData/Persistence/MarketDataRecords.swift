import TradewindCore
import TradewindStore

/// Rows for market data's tables.
enum MarketDataRecords {
    /// A closed bar; its interval identifies it, so a replay never writes it twice.
    static func bar(_ bar: Bar) -> PersistedRecord {
        PersistedRecord(
            table: "market_data.bars",
            columns: [
                "instrument", "start_time_ns", "interval_seconds", "end_time_ns", "start_time", "open", "high", "low",
                "close", "volume", "trade_count",
            ],
            values: [
                .text(bar.instrument.description), .int(bar.startTimeNs), .int(Int64(bar.intervalSeconds)),
                .int(bar.endTimeNs), .timestampNs(bar.startTimeNs), .numeric(bar.open.description),
                .numeric(bar.high.description), .numeric(bar.low.description), .numeric(bar.close.description),
                .numeric(bar.volume.description), .int(Int64(bar.tradeCount)),
            ],
            conflict: .ignore(key: ["instrument", "start_time_ns", "interval_seconds"]))
    }
}
