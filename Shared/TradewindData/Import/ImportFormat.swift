/// The file layouts `tradewind data import` reads (docs/DATASETS.md, "Importing history").
public enum ImportFormat: String, Sendable, Hashable, CaseIterable {
    /// Binance public data `trades`: id, price, qty, quoteQty, time, isBuyerMaker[, isBestMatch].
    case binanceTrades = "binance-trades"
    /// Binance public data `aggTrades`: agg id, price, qty, first id, last id, time, isBuyerMaker[, isBestMatch].
    case binanceAggTrades = "binance-aggtrades"
    /// Binance public data `bookTicker`: update id, bid, bid qty, ask, ask qty, transaction time, event time.
    case binanceBookTicker = "binance-bookticker"
    /// Tardis.dev normalized CSV: `trades`, `quotes` or `incremental_book_L2`, told apart by the header.
    case tardis

    /// The data type in Binance's file names (`BTCUSDT-aggTrades-2024-01-01.csv`); nil for Tardis.
    var binanceFileKind: String? {
        switch self {
        case .binanceTrades: return "trades"
        case .binanceAggTrades: return "aggTrades"
        case .binanceBookTicker: return "bookTicker"
        case .tardis: return nil
        }
    }
}
