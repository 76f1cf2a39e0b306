import TradewindCore

/// Several files' events as one stream in time order: the earliest next event of any file, and
/// among equal times the one of the file given first (a stable merge; each file keeps its order).
struct ImportMerge {
    private(set) var streams: [ImportFileStream]
    private var heads: [MarketEvent?]
    private var started = false

    init(_ streams: [ImportFileStream]) {
        self.streams = streams
        heads = Array(repeating: nil, count: streams.count)
    }

    mutating func next() throws(ImportError) -> MarketEvent? {
        if !started {
            started = true
            for index in streams.indices { heads[index] = try streams[index].next() }
        }
        var best: Int?
        for index in heads.indices {
            guard let head = heads[index] else { continue }
            if let chosen = best, heads[chosen]!.timeNs <= head.timeNs { continue }
            best = index
        }
        guard let best else { return nil }
        let event = heads[best]
        heads[best] = try streams[best].next()
        return event
    }
}
