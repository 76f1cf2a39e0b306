import ArgumentParser
import Foundation
import TradewindCore
import TradewindDaemonKit
import TradewindData

extension ImportFormat: ExpressibleByArgument {}
extension TardisTime: ExpressibleByArgument {}

/// `tradewind data import`: Binance public data or Tardis CSV files into one canonical dataset
/// (docs/DATASETS.md, "Importing history"). Parsing and merging live in `TradewindData/Import`.
struct DataImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a canonical dataset from Binance public data or Tardis CSV files.",
        discussion: """
            Reads every FILE (.csv, .csv.gz or a .zip holding one .csv) in the format given and merges \
            them in time order (equal times keep the order of the files) into a new dataset at --out. \
            Instruments: --instrument for every event, else the venue (--venue; BINANCE for Binance \
            files, the exchange column for Tardis) and the symbol of the file name (Binance) or of the \
            symbol column (Tardis). Tick and lot sizes come from the configuration's instruments when \
            it lists the id, else from the finest decimals in the data. A malformed line stops the \
            import with its file and line number and exit code 2, leaving nothing behind.
            """)

    @OptionGroup var suite: SuiteOptions

    @Option(help: "The layout of the files.")
    var format: ImportFormat

    @Option(help: "The dataset directory to write; it must not exist.")
    var out: String

    @Option(help: "VENUE:SYMBOL for every event (default: derived per file or row).")
    var instrument: String?

    @Option(help: "Venue of derived instrument ids (default: BINANCE for Binance files, the exchange column for Tardis).")
    var venue: String?

    @Option(help: "Tardis: the stream time is the exchange's timestamp or local_timestamp (arrival).")
    var time: TardisTime = .exchange

    @Option(help: "Segment size in MiB at which a new segment starts.")
    var segmentMib: Int = DatasetFormat.defaultSegmentBytes >> 20

    @Argument(help: "The input files, merged in time order.")
    var files: [String]

    func validate() throws {
        guard (1...4096).contains(segmentMib) else { throw ValidationError("--segment-mib must be within 1...4096") }
        if instrument != nil, venue != nil { throw ValidationError("--instrument and --venue exclude each other") }
    }

    func run() throws {
        try reportingErrors {
            let naming = try self.naming()
            let configured: [InstrumentId: Instrument]
            do {
                configured = try InstrumentCatalog(try suite.configuration()).instruments
            } catch {
                throw CLIError("configuration: \(error)", exitCode: 2)
            }
            let importer = DatasetImport(
                format: format, naming: naming, time: time, configured: configured, segmentBytes: segmentMib << 20)
            let unpacked = ZipInputs(besides: out)
            defer { unpacked.remove() }
            let manifest: DatasetManifest
            do throws(ImportError) {
                let inputs = try files.map { file throws(ImportError) in try unpacked.input(file) }
                manifest = try importer.write(inputs, to: out)
            } catch {
                throw CLIError("\(error)", exitCode: error.isBadInput ? 2 : 1)
            }
            let counts = manifest.counts
            print("wrote \(out): \(counts.events) events (\(counts.quote) quotes, \(counts.trade) trades, \(counts.bookUpdate) book updates with \(counts.bookLevel) levels) from \(files.count) file(s) in \(manifest.segments.count) segment(s)")
            let rules = manifest.source["instrument_rules"]
            for entry in manifest.instruments {
                let origin: String
                if case .object(let origins)? = rules, case .string(let text)? = origins[entry.id] { origin = text } else { origin = "?" }
                print("  \(entry.id)  \(entry.base)/\(entry.quote)  tick \(entry.tickSize)  lot \(entry.lotSize)  min \(entry.minQuantity)  (\(origin))")
            }
            print("time         \(UTCTime.text(manifest.timeRange.firstNs)) .. \(UTCTime.text(manifest.timeRange.lastNs))")
            print("content hash \(manifest.contentHash)")
        }
    }

    private func naming() throws -> ImportInstrumentNaming {
        guard let instrument else { return .symbol(venue: venue) }
        do {
            return .fixed(try InstrumentId(parsing: instrument))
        } catch {
            throw CLIError("--instrument: \(error)", exitCode: 2)
        }
    }
}
