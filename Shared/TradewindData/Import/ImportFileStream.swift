import TradewindCore

/// One input file as events in the file's order. Each file must be in time order (the merge
/// relies on it): an event earlier than the one before it is an error naming its line.
struct ImportFileStream {
    /// The file as given on the command line: what messages name.
    let name: String
    private let reader: ImportLineReader
    private var parser: any ImportLineParser
    private let orderHint: String
    private var lineNumber = 0
    private var lastTimeNs = Int64.min
    private var finished = false
    /// Lines read and events produced so far.
    private(set) var lines = 0
    private(set) var events = 0

    /// `name` is the file as given, `path` where to read it (an unpacked copy of a `.zip`).
    init(name: String, path: String, parser: any ImportLineParser, orderHint: String = "") throws(ImportError) {
        self.name = name
        reader = try ImportLineReader(path: path, displayName: name)
        self.parser = parser
        self.orderHint = orderHint
    }

    var notes: [String: Int64] { parser.notes }

    /// The next event of the file, or nil after its last.
    mutating func next() throws(ImportError) -> MarketEvent? {
        while !finished {
            let imported: ImportedEvent?
            if let line = try reader.nextLine() {
                lineNumber += 1
                lines += 1
                if line.isEmpty { continue }
                do throws(ImportLineError) {
                    imported = try parser.parse(Substring(line), number: lineNumber)
                } catch {
                    throw .badLine(file: name, line: lineNumber, reason: error.reason)
                }
            } else {
                finished = true
                imported = parser.finish()
            }
            if let imported { return try ordered(imported) }
        }
        return nil
    }

    private mutating func ordered(_ imported: ImportedEvent) throws(ImportError) -> MarketEvent {
        let timeNs = imported.event.timeNs
        guard timeNs >= lastTimeNs else {
            throw .badLine(
                file: name, line: imported.line,
                reason: "time \(timeNs) ns is before the previous row's \(lastTimeNs) ns; each file must be in time order\(orderHint)")
        }
        lastTimeNs = timeNs
        events += 1
        return imported.event
    }
}
