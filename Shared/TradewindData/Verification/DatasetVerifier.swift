/// `tradewind data verify`: reads a whole dataset with every check on, noting each problem (a
/// block with a bad CRC is stepped over, a segment with a structural problem left), decodes every
/// event and compares the totals with the manifest.
public struct DatasetVerification: Sendable {
    public var manifest: DatasetManifest
    /// Problems found, each naming its file and, where there is one, the byte offset.
    public var problems: [DatasetError] = []
    /// What the segments hold, counted while reading.
    public var found = DatasetManifest.Counts()
    public var tornTail: TornTail?
    /// Records of an event cut off by the torn tail.
    public var droppedRecords = 0

    /// True when nothing is wrong (an incomplete dataset may still be OK up to its torn tail).
    public var isOK: Bool { problems.isEmpty }

    /// Verifies the dataset in `directory`; throws only when its manifest cannot be read.
    public init(directory: String) throws(DatasetError) {
        let reader = try DatasetReader(directory: directory)
        manifest = reader.manifest
        let stream = BlockStream(directory: directory, manifest: reader.manifest, verification: .full, tolerant: true)
        var cursor = DatasetCursor(stream: stream, instruments: reader.instruments)
        do throws(DatasetError) {
            while let event = try cursor.next() {
                found.events += 1
                switch event {
                case .quote: found.quote += 1
                case .trade: found.trade += 1
                case .book(let book):
                    found.bookUpdate += 1
                    found.bookLevel += Int64(max(1, book.bids.count + book.asks.count))
                case .bar: found.bar += 1
                }
            }
        } catch {
            problems.append(error)
        }
        problems.insert(contentsOf: stream.problems, at: 0)
        tornTail = stream.tornTail
        droppedRecords = cursor.droppedRecords
        found.records = found.quote + found.trade + found.bookLevel + 2 * found.bar
        if manifest.complete, problems.isEmpty { compareCounts(path: directory + "/" + DatasetFormat.manifestFileName) }
    }

    private mutating func compareCounts(path: String) {
        let pairs: [(String, Int64, Int64)] = [
            ("events", manifest.counts.events, found.events), ("quote", manifest.counts.quote, found.quote),
            ("trade", manifest.counts.trade, found.trade), ("book_update", manifest.counts.bookUpdate, found.bookUpdate),
            ("book_level", manifest.counts.bookLevel, found.bookLevel), ("bar", manifest.counts.bar, found.bar),
        ]
        for (name, listed, counted) in pairs where listed != counted {
            problems.append(.invalidManifest(path: path, reason: "counts.\(name) is \(listed), the segments hold \(counted)"))
        }
        if let first = manifest.segments.first, let last = manifest.segments.last,
            manifest.timeRange != DatasetManifest.TimeRange(firstNs: first.firstNs, lastNs: last.lastNs) {
            problems.append(.invalidManifest(path: path, reason: "time_range differs from the segments' first and last times"))
        }
    }
}
