import TradewindCore

/// How imported events get their instrument id: one id for everything (`--instrument`), or a venue
/// and the symbol that a Binance file's name or a Tardis row's `symbol` column carries.
public enum ImportInstrumentNaming: Sendable, Hashable {
    /// Every event is this instrument's.
    case fixed(InstrumentId)
    /// `venue:SYMBOL`; a nil venue is BINANCE for Binance files and the row's `exchange`,
    /// uppercased, for Tardis ("binance-futures" gives BINANCE-FUTURES).
    case symbol(venue: String?)

    /// The instrument of a Binance file, from `BTCUSDT-trades-2024-01-01.csv` (or `.zip`, `.gz`):
    /// the symbol before the first "-"; a data type in the name other than the format's is an error.
    func instrument(ofBinanceFile path: String, format: ImportFormat) throws(ImportError) -> InstrumentId {
        let name = Self.baseName(path)
        let parts = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let known = ImportFormat.allCases.compactMap(\.binanceFileKind)
        if parts.count > 1, known.contains(parts[1]), let expected = format.binanceFileKind, parts[1] != expected {
            throw .badFile(file: path, reason: "the name says \(parts[1]), the format is \(format.rawValue) (\(expected))")
        }
        switch self {
        case .fixed(let id):
            return id
        case .symbol(let venue):
            guard parts.count > 1, let symbol = parts.first, !symbol.isEmpty else {
                throw .badFile(file: path, reason: "cannot tell the symbol from the name (expected SYMBOL-\(format.binanceFileKind ?? "kind")-DATE.csv); give --instrument VENUE:SYMBOL")
            }
            do {
                return try InstrumentId(venue: venue ?? "BINANCE", symbol: symbol.uppercased())
            } catch {
                throw .badFile(file: path, reason: "\(error); give --instrument VENUE:SYMBOL")
            }
        }
    }

    /// The file name without its folder.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The file name without its folder and without `.zip`, `.gz` and `.csv` endings.
    static func baseName(_ path: String) -> String {
        var name = fileName(path)
        for ending in [".zip", ".gz", ".csv"] where name.lowercased().hasSuffix(ending) {
            name.removeLast(ending.count)
        }
        return name
    }

    /// A Tardis `exchange` value as a venue: uppercased, characters outside [A-Z0-9_-] as "-".
    static func venue(ofExchange exchange: Substring) -> String {
        String(exchange.uppercased().map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-") ? character : "-"
        })
    }
}
