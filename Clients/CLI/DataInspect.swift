import ArgumentParser
import Foundation
import TradewindData

/// `tradewind data inspect DIR`: the manifest in a readable form, or as JSON.
struct DataInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a dataset's manifest: instruments, time range, counts, segments, content hash.")

    @Argument(help: "The dataset directory.")
    var directory: String

    @Flag(help: "The manifest as JSON (as manifest.json holds it).")
    var json = false

    @Option(help: "Also decode the first N events (one JSON object each; with --json: {\"manifest\": …, \"head\": […]}).")
    var head = 0

    func validate() throws {
        guard head >= 0 else { throw ValidationError("--head must be at least 0") }
    }

    func run() throws {
        try reportingFailures {
            let manifest = try DatasetManifest.load(directory: directory)
            let events = head > 0 ? try firstEvents() : []
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            if json, head > 0 {
                print(String(decoding: try encoder.encode(Shown(manifest: manifest, head: events)), as: UTF8.self))
            } else if json {
                print(String(decoding: try encoder.encode(manifest), as: UTF8.self))
            } else {
                print(Self.text(manifest, directory: directory))
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for event in events { print(String(decoding: try encoder.encode(event), as: UTF8.self)) }
            }
        }
    }

    private struct Shown: Encodable {
        var manifest: DatasetManifest
        var head: [[String: EventJSON.JSONScalar]]
    }

    private func firstEvents() throws(DatasetError) -> [[String: EventJSON.JSONScalar]] {
        var cursor = try DatasetReader(directory: directory).events(verification: .blockChecksums)
        var events: [[String: EventJSON.JSONScalar]] = []
        while events.count < head, let event = try cursor.next() {
            events.append(EventJSON.object(event, timeNs: cursor.timeNs))
        }
        return events
    }

    static func text(_ manifest: DatasetManifest, directory: String) -> String {
        let counts = manifest.counts
        var lines = [
            "dataset      \(directory)",
            "format       \(manifest.format) v\(manifest.version), \(manifest.recordSize)-byte records, \(manifest.blockRecords) per block",
            "status       \(manifest.complete ? "complete" : "INCOMPLETE (recording running or crashed; readable up to its last whole block)")",
            "created      \(UTCTime.text(manifest.createdNs))",
            "source       \(manifest.source.keys.sorted().map { "\($0)=\(manifest.source[$0]!)" }.joined(separator: " "))",
            "instruments  \(manifest.instruments.count)",
        ]
        for entry in manifest.instruments {
            lines.append("  \(entry.index)  \(entry.id)  \(entry.base)/\(entry.quote)  tick \(entry.tickSize)  lot \(entry.lotSize)  min \(entry.minQuantity)  scale \(entry.scale)")
        }
        let span = Double(manifest.timeRange.lastNs - manifest.timeRange.firstNs) / 1e9
        lines += [
            "time         \(UTCTime.text(manifest.timeRange.firstNs)) .. \(UTCTime.text(manifest.timeRange.lastNs)) (\(String(format: "%.3f", span)) s)",
            "events       \(counts.events): \(counts.quote) quotes, \(counts.trade) trades, \(counts.bookUpdate) book updates (\(counts.bookLevel) level records), \(counts.bar) bars",
            "records      \(counts.records)",
            "segments     \(manifest.segments.count)",
        ]
        for segment in manifest.segments {
            lines.append("  \(segment.file)  \(segment.records) records  \(segment.bytes) bytes  \(UTCTime.text(segment.firstNs)) .. \(UTCTime.text(segment.lastNs))  sha256 \(segment.sha256)")
        }
        lines.append("content hash \(manifest.contentHash)")
        return lines.joined(separator: "\n")
    }
}

/// Nanosecond timestamps as UTC text: "2024-01-01T00:00:00.000000000Z".
enum UTCTime {
    static func text(_ ns: Int64) -> String {
        let seconds = ns >= 0 ? ns / 1_000_000_000 : (ns + 1) / 1_000_000_000 - 1
        let fraction = ns - seconds * 1_000_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
    }
}

extension ParsableCommand {
    /// Runs `body`, reporting a dataset error as "tradewind: <message>" on stderr with exit code 1.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DatasetError {
            FileHandle.standardError.write(Data("tradewind: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("tradewind: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
