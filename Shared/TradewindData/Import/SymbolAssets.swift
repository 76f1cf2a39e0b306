/// Base and quote assets of a venue symbol, for instruments the configuration does not list:
/// "BTC-USD" splits at the separator, "BTCUSDT" at the longest known quote asset it ends with;
/// anything else is the whole symbol against "UNKNOWN".
enum SymbolAssets {
    /// Quote assets recognised at the end of a symbol, longest first so "FDUSD" wins over "USD".
    static let quotes = ["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "BIDR", "IDRT", "DAI", "USD", "EUR", "GBP", "TRY", "BRL",
                         "JPY", "AUD", "BTC", "ETH", "BNB"]

    static func split(_ symbol: String) -> (base: String, quote: String) {
        for separator in ["-", "_", "/"] as [Character] {
            let parts = symbol.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2, !parts[0].isEmpty, quotes.contains(parts[1]) { return (parts[0], parts[1]) }
        }
        for quote in quotes where symbol.count > quote.count && symbol.hasSuffix(quote) {
            return (String(symbol.dropLast(quote.count)), quote)
        }
        return (symbol, "UNKNOWN")
    }
}
