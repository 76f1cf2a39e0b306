import TradewindCore

/// One line of a comma-separated file split into its fields (the formats imported here never
/// quote), with typed readers whose errors name the column and the text found.
struct CSVRow {
    let fields: [Substring]

    init(_ line: Substring) {
        fields = line.split(separator: ",", omittingEmptySubsequences: false)
    }

    var count: Int { fields.count }

    /// Throws unless the row has one of `counts` fields.
    func expect(_ counts: [Int], of what: String) throws(ImportLineError) {
        guard counts.contains(fields.count) else {
            let expected = counts.map(String.init).joined(separator: " or ")
            throw ImportLineError("expected \(expected) comma-separated fields (\(what)), found \(fields.count)")
        }
    }

    func text(_ index: Int) -> Substring { fields[index] }

    func integer(_ index: Int, _ column: String) throws(ImportLineError) -> Int64 {
        guard let value = Int64(fields[index]) else { throw ImportLineError("\(column) \"\(Self.clip(fields[index]))\" is not an integer") }
        return value
    }

    func price(_ index: Int, _ column: String) throws(ImportLineError) -> Price {
        do {
            return try Price(parsing: String(fields[index]))
        } catch {
            throw ImportLineError("\(column): \(error)")
        }
    }

    func quantity(_ index: Int, _ column: String) throws(ImportLineError) -> Quantity {
        do {
            return try Quantity(parsing: String(fields[index]))
        } catch {
            throw ImportLineError("\(column): \(error)")
        }
    }

    /// "true"/"false" in any letter case (Binance spot writes "True", futures and Tardis "true").
    func bool(_ index: Int, _ column: String) throws(ImportLineError) -> Bool {
        let text = fields[index]
        if text.utf8.elementsEqual("true".utf8, by: Self.sameLetter) { return true }
        if text.utf8.elementsEqual("false".utf8, by: Self.sameLetter) { return false }
        throw ImportLineError("\(column) \"\(Self.clip(text))\" is not true or false")
    }

    /// ASCII letters equal regardless of case (`lower` is lowercase).
    private static func sameLetter(_ byte: UInt8, _ lower: UInt8) -> Bool {
        byte == lower || byte | 0x20 == lower
    }

    static func clip(_ text: Substring) -> String {
        text.count <= 40 ? String(text) : String(text.prefix(40)) + "…"
    }
}
