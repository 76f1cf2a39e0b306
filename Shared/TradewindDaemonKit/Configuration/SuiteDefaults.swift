/// The suite's embedded default configuration: every key a config file or `TRADEWIND_*` variable may set.
public enum SuiteDefaults {
    /// The defaults as JSON text; exact decimals are JSON strings.
    public static let json = """
        {
          "instruments": [
            {"id": "SIM:BTCUSDT", "base": "BTC", "quote": "USDT", "tick_size": "0.01", "lot_size": "0.0001", "min_quantity": "0.0001"},
            {"id": "SIM:ETHUSDT", "base": "ETH", "quote": "USDT", "tick_size": "0.01", "lot_size": "0.001", "min_quantity": "0.001"}
          ],
          "database": {
            "url": "", "journal_dir": ".run/journal", "batch_size": 1000, "flush_interval_ms": 20,
            "backlog_ready_threshold": 100000, "connect_timeout_ms": 30000
          },
          "market_data": {
            "pub_endpoint": "ipc://.run/bus/market-data.pub", "http_host": "127.0.0.1", "http_port": 9101,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000,
            "feed": "synthetic", "seed": 42, "ticks_per_second": 20,
            "start_prices": {"SIM:BTCUSDT": "65000.00", "SIM:ETHUSDT": "3200.00"},
            "volatility_bps": 5, "spread_bps": 2, "quote_size": {"SIM:BTCUSDT": "0.5", "SIM:ETHUSDT": "5"},
            "trade_probability_percent": 30, "bar_interval_seconds": 60
          },
          "signal_bridge": {
            "pub_endpoint": "ipc://.run/bus/signal-bridge.pub", "http_host": "127.0.0.1", "http_port": 9102,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000,
            "strategy": "ema_cross", "strategy_name": "ema_cross", "fast_period": 5, "slow_period": 20,
            "order_quantity": {"SIM:BTCUSDT": "0.01", "SIM:ETHUSDT": "0.1"}
          },
          "risk_manager": {
            "pub_endpoint": "ipc://.run/bus/risk-manager.pub", "http_host": "127.0.0.1", "http_port": 9103,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000,
            "initial_trading_state": "ACTIVE", "max_order_notional": "5000", "max_position": {"SIM:BTCUSDT": "0.05", "SIM:ETHUSDT": "0.5"},
            "allowed_instruments": ["SIM:BTCUSDT", "SIM:ETHUSDT"],
            "unacknowledged_order_timeout_ms": 5000
          },
          "execution_engine": {
            "pub_endpoint": "ipc://.run/bus/execution-engine.pub", "http_host": "127.0.0.1", "http_port": 9104,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000,
            "venue": "simulated", "seed": 7, "taker_fee_bps": 10, "maker_fee_bps": 2
          },
          "position_tracker": {
            "pub_endpoint": "ipc://.run/bus/position-tracker.pub", "http_host": "127.0.0.1", "http_port": 9105,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000,
            "publish_interval_ms": 1000, "snapshot_interval_ms": 10000
          }
        }
        """
}
