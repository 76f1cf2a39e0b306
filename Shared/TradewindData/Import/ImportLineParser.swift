import TradewindCore

/// An event read from a file, with the line it came from (a book update: its first row's).
struct ImportedEvent: Sendable, Hashable {
    var event: MarketEvent
    var line: Int
}

/// Turns the lines of one file into events, a line at a time, in the file's order.
protocol ImportLineParser {
    /// The event line `number` (from 1) completes, if any: a header completes none, a Tardis book
    /// row the update before it when it starts a new one.
    mutating func parse(_ line: Substring, number: Int) throws(ImportLineError) -> ImportedEvent?
    /// The event still open at the end of the file.
    mutating func finish() -> ImportedEvent?
    /// Counts worth keeping in the manifest's `source` (e.g. trades whose aggressor is unknown).
    var notes: [String: Int64] { get }
}

extension ImportLineParser {
    mutating func finish() -> ImportedEvent? { nil }
    var notes: [String: Int64] { [:] }
}

extension CSVRow {
    /// Binance writes a header row in futures files and in newer ones, none in spot files: the
    /// first line is a header when its first field is not a number.
    func isBinanceHeader(line number: Int) -> Bool {
        number == 1 && Int64(fields[0]) == nil
    }

    /// Throws unless the field is a plain decimal (a column read but not kept, e.g. quoteQty).
    func checkDecimal(_ index: Int, _ column: String) throws(ImportLineError) {
        let text = fields[index]
        var digits = 0
        var points = 0
        for byte in text.utf8 {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits += 1
            } else if byte == UInt8(ascii: ".") {
                points += 1
            } else if !(byte == UInt8(ascii: "-") && digits == 0 && points == 0) {
                digits = 0
                break
            }
        }
        guard digits > 0, points <= 1 else { throw ImportLineError("\(column) \"\(Self.clip(text))\" is not a decimal number") }
    }
}
