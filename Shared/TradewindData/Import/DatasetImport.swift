import Foundation
import TradewindCore

/// `tradewind data import`: history a researcher already has (Binance public data files, Tardis
/// CSV) as one canonical dataset, the files merged in time order (`ImportMerge`). The dataset is
/// written into a hidden directory beside the target and renamed into place once finished, so a
/// malformed line or a failed write leaves nothing behind.
public struct DatasetImport: Sendable {
    /// One input file: `name` as given (what messages and the manifest name), `path` where to read
    /// it (the unpacked copy of a `.zip`, or the same file).
    public struct Input: Sendable, Hashable {
        public var name: String
        public var path: String

        public init(name: String, path: String? = nil) {
            self.name = name
            self.path = path ?? name
        }
    }

    public var format: ImportFormat
    public var naming: ImportInstrumentNaming
    /// Tardis only: which timestamp is the stream time.
    public var time: TardisTime
    /// Rules for instruments the configuration lists; others are learnt from the data.
    public var configured: [InstrumentId: Instrument]
    public var segmentBytes: Int

    public init(
        format: ImportFormat, naming: ImportInstrumentNaming, time: TardisTime = .exchange,
        configured: [InstrumentId: Instrument] = [:], segmentBytes: Int = DatasetFormat.defaultSegmentBytes
    ) {
        self.format = format
        self.naming = naming
        self.time = time
        self.configured = configured
        self.segmentBytes = segmentBytes
    }

    /// Reads every input and writes the dataset at `directory`, which must not exist yet.
    @discardableResult
    public func write(_ inputs: [Input], to directory: String) throws(ImportError) -> DatasetManifest {
        guard !inputs.isEmpty else { throw .badArguments("no input files") }
        guard !FileManager.default.fileExists(atPath: directory) else {
            throw .badArguments("\(directory) already exists; an import writes a new dataset")
        }
        var merge = ImportMerge(try inputs.map { input throws(ImportError) in try stream(input) })
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).importing-\(getpid())").path
        try? FileManager.default.removeItem(atPath: staging)
        do throws(ImportError) {
            let manifest = try write(&merge, to: staging)
            do {
                try FileManager.default.moveItem(atPath: staging, toPath: target.path)
            } catch {
                throw ImportError.output(.io(path: target.path, operation: "rename \(staging)", reason: error.localizedDescription))
            }
            return manifest
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    private func write(_ merge: inout ImportMerge, to staging: String) throws(ImportError) -> DatasetManifest {
        var instruments = ImportedInstruments(configured: configured)
        var writer: DatasetWriter?
        while let event = try merge.next() {
            let isNew = instruments.observe(event)
            try Self.output { () throws(DatasetError) in
                if let writer {
                    // rules are provisional until the end (`updateInstrument` below)
                    if isNew { try writer.addInstrument(instruments.instrument(event.instrument)) }
                } else {
                    writer = try DatasetWriter(
                        directory: staging, instruments: [instruments.instrument(event.instrument)], segmentBytes: segmentBytes,
                        createdNs: event.timeNs)
                }
                try writer!.append(event)
            }
        }
        return try Self.output { () throws(DatasetError) in
            let finished: DatasetWriter
            if let writer {
                finished = writer
            } else {
                finished = try DatasetWriter(directory: staging, instruments: [], segmentBytes: segmentBytes, createdNs: 0)
            }
            for id in instruments.ids { try finished.updateInstrument(instruments.instrument(id)) }
            finished.source = source(merge.streams, instruments: instruments)
            return try finished.finish()
        }
    }

    private static func output<T>(_ body: () throws(DatasetError) -> T) throws(ImportError) -> T {
        do throws(DatasetError) {
            return try body()
        } catch {
            throw .output(error)
        }
    }

    private func stream(_ input: Input) throws(ImportError) -> ImportFileStream {
        guard FileManager.default.fileExists(atPath: input.path) else { throw .badFile(file: input.name, reason: "cannot open: No such file or directory") }
        let parser: any ImportLineParser
        var hint = ""
        switch format {
        case .binanceTrades:
            parser = BinanceTradesParser(instrument: try naming.instrument(ofBinanceFile: input.name, format: format))
        case .binanceAggTrades:
            parser = BinanceAggTradesParser(instrument: try naming.instrument(ofBinanceFile: input.name, format: format))
        case .binanceBookTicker:
            parser = BinanceBookTickerParser(instrument: try naming.instrument(ofBinanceFile: input.name, format: format))
        case .tardis:
            parser = TardisParser(naming: naming, time: time)
            if time == .exchange { hint = " (Tardis files are in arrival order: --time local follows it)" }
        }
        return try ImportFileStream(name: input.name, path: input.path, parser: parser, orderHint: hint)
    }

    private func source(_ streams: [ImportFileStream], instruments: ImportedInstruments) -> [String: DatasetJSON] {
        var source: [String: DatasetJSON] = [
            "kind": "imported",
            "format": .string(format.rawValue),
            "files": .array(streams.map { stream in
                .object([
                    "file": .string(ImportInstrumentNaming.fileName(stream.name)), "lines": .integer(Int64(stream.lines)),
                    "events": .integer(Int64(stream.events)),
                ])
            }),
            "instrument_rules": .object(instruments.provenance),
        ]
        if format == .tardis { source["time"] = .string(time.rawValue) }
        for stream in streams {
            for (key, count) in stream.notes {
                var total = count
                if case .integer(let earlier)? = source[key] { total += earlier }
                source[key] = .integer(total)
            }
        }
        return source
    }
}
