/// The suite's embedded default configuration: every key a config file or `TRADEWIND_*` variable may set.
public enum SuiteDefaults {
    /// The defaults as JSON text; exact decimals are JSON strings.
    public static let json = """
        {
          "instruments": [
            {"id": "SIM:BTCUSDT", "base": "BTC", "quote": "USDT", "tick_size": "0.01", "lot_size": "0.0001", "min_quantity": "0.0001"},
            {"id": "SIM:ETHUSDT", "base": "ETH", "quote": "USDT", "tick_size": "0.01", "lot_size": "0.001", "min_quantity": "0.001"}
          ],
          "runtime": {"clock": "wall", "session_id": ""},
          "backtest": {"initial_capital": "100000", "sample_interval_ms": 1000, "returns_interval_ms": 60000},
          "data": {"root": "data"},
          "health": {
            "listen": "127.0.0.1:9106", "interval_ms": 2000, "request_timeout_ms": 1000, "data_max_age_ms": 5000,
            "green_min_score_percent": 99, "degraded_min_score_percent": 50
          },
          "database": {
            "url": "", "journal_dir": ".run/journal", "batch_size": 1000, "flush_interval_ms": 20,
            "backlog_ready_threshold": 100000, "connect_timeout_ms": 30000
          },
          "market_data": {
            "pub_endpoint": "ipc://.run/bus/market-data.pub", "http_host": "127.0.0.1", "http_port": 9101,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000, "cpu_affinity": [],
            "feed": "synthetic", "seed": 42, "ticks_per_second": 20,
            "replay_dataset": "", "replay_speed": 1, "replay_lockstep": false,
            "start_prices": {"SIM:BTCUSDT": "65000.00", "SIM:ETHUSDT": "3200.00"},
            "volatility_bps": 5, "spread_bps": 2, "quote_size": {"SIM:BTCUSDT": "0.5", "SIM:ETHUSDT": "5"},
            "trade_probability_percent": 30, "bar_interval_seconds": 60,
            "binance_stream_url": "wss://stream.binance.com:9443", "binance_rest_url": "https://api.binance.com",
            "binance_snapshot_limit": 1000, "binance_max_frame_bytes": 8388608, "binance_timeout_ms": 10000,
            "stale_after_ms": 10000, "connect_timeout_ms": 10000, "reconnect_initial_ms": 500, "reconnect_max_ms": 30000,
            "rotate_after_minutes": 1380, "book_max_buffered_diffs": 1000, "book_max_buffered_levels": 200000,
            "record_raw": false
          },
          "signal_bridge": {
            "pub_endpoint": "ipc://.run/bus/signal-bridge.pub", "http_host": "127.0.0.1", "http_port": 9102,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000, "cpu_affinity": [],
            "strategy": "ema_cross", "strategy_name": "ema_cross", "fast_period": 5, "slow_period": 20,
            "order_quantity": {"SIM:BTCUSDT": "0.01", "SIM:ETHUSDT": "0.1"},
            "intent_endpoint": "ipc://.run/bus/signal-bridge.intents"
          },
          "risk_manager": {
            "pub_endpoint": "ipc://.run/bus/risk-manager.pub", "http_host": "127.0.0.1", "http_port": 9103,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000, "cpu_affinity": [],
            "initial_trading_state": "ACTIVE", "max_order_notional": "5000", "max_position": {"SIM:BTCUSDT": "0.05", "SIM:ETHUSDT": "0.5"},
            "allowed_instruments": ["SIM:BTCUSDT", "SIM:ETHUSDT"],
            "unacknowledged_order_timeout_ms": 5000,
            "max_order_quantity": {"SIM:BTCUSDT": "0.05", "SIM:ETHUSDT": "0.5"},
            "max_gross_exposure": "20000", "price_collar_bps": 100, "max_quote_age_ms": 2000,
            "strategy_rate_burst": 20, "strategy_rate_per_second": 10,
            "global_rate_burst": 50, "global_rate_per_second": 25,
            "max_open_orders": 20, "max_daily_loss": "1000", "max_drawdown": "1500", "breach_action": "HALTED",
            "circuit_failure_threshold": 5, "circuit_window_ms": 10000, "circuit_open_ms": 5000,
            "control_endpoint": "ipc://.run/bus/risk-manager.ctl"
          },
          "execution_engine": {
            "pub_endpoint": "ipc://.run/bus/execution-engine.pub", "http_host": "127.0.0.1", "http_port": 9104,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000, "cpu_affinity": [],
            "venue": "simulated", "seed": 7, "taker_fee_bps": 10, "maker_fee_bps": 2,
            "latency_us": 0, "latency_jitter_us": 0, "market_data_latency_us": 0,
            "initial_balances": {"USDT": "1000000", "BTC": "10", "ETH": "100"},
            "in_flight_timeout_ms": 2000, "max_quote_age_ms": 2000,
            "slippage_guard": "convert", "slippage_collar_bps": 50,
            "reconciliation_interval_ms": 30000, "cancel_unknown_own_orders": true,
            "poll_interval_ms": 1000,
            "retry_max_attempts": 4, "retry_initial_ms": 50, "retry_max_ms": 2000,
            "binance_base_url": "https://api.binance.com", "binance_recv_window_ms": 5000, "binance_timeout_ms": 10000
          },
          "position_tracker": {
            "pub_endpoint": "ipc://.run/bus/position-tracker.pub", "http_host": "127.0.0.1", "http_port": 9105,
            "heartbeat_interval_ms": 500, "heartbeat_timeout_ms": 3000, "cpu_affinity": [],
            "publish_interval_ms": 1000, "snapshot_interval_ms": 10000
          }
        }
        """
}
