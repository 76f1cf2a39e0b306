import Foundation
import Logging
import Synchronization
import Testing
@testable import TradewindDaemonKit

@Suite struct JSONLogHandlerTests {
    final class Capture: Sendable {
        let lines = Mutex<[String]>([])
        var sink: LogSink { LogSink { line in self.lines.withLock { $0.append(line) } } }

        func objects() throws -> [[String: Any]] {
            try lines.withLock { $0 }.map { line in
                #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false)
                return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
        }
    }

    private func logger(_ capture: Capture, level: Logger.Level = .info) -> Logger {
        Logger(label: "tradewind.test") { label in
            JSONLogHandler(label: label, service: "risk-manager", level: level, sink: capture.sink)
        }
    }

    @Test func writesOneJSONObjectPerLineWithTheStandardFields() throws {
        let capture = Capture()
        var log = logger(capture)
        log[metadataKey: "instance"] = "a"
        log.info("order accepted", metadata: ["correlation_id": "intent-7", "qty": "0.01"])
        let object = try #require(try capture.objects().first)
        #expect(object["level"] as? String == "info")
        #expect(object["service"] as? String == "risk-manager")
        #expect(object["label"] as? String == "tradewind.test")
        #expect(object["message"] as? String == "order accepted")
        #expect(object["correlation_id"] as? String == "intent-7")
        #expect(object["qty"] as? String == "0.01")
        #expect(object["instance"] as? String == "a")
        let ts = try #require(object["ts"] as? String)
        #expect(ts.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/) != nil)
    }

    @Test func escapesQuotesBackslashesControlAndNonASCIICharacters() throws {
        let capture = Capture()
        let tricky = "say \"hi\"\\ \n\ttab \u{01} é 🚀 \u{2028}"
        logger(capture).warning("\(tricky)", metadata: ["k\"ey": "\(tricky)"])
        let object = try #require(try capture.objects().first)
        #expect(object["message"] as? String == tricky)
        #expect(object["k\"ey"] as? String == tricky)
    }

    @Test func nestedMetadataBecomesJSONAndReservedNamesAreKeptApart() throws {
        let capture = Capture()
        logger(capture).error("fill", metadata: [
            "order": ["id": "o-1", "legs": ["a", "b"]],
            "message": "shadowed",
            "count": .stringConvertible(3),
        ])
        let object = try #require(try capture.objects().first)
        let order = try #require(object["order"] as? [String: Any])
        #expect(order["id"] as? String == "o-1")
        #expect(order["legs"] as? [String] == ["a", "b"])
        #expect(object["message"] as? String == "fill")
        #expect(object["meta_message"] as? String == "shadowed")
        #expect(object["count"] as? String == "3")
    }

    @Test func respectsTheLevel() throws {
        let capture = Capture()
        let log = logger(capture, level: .warning)
        log.info("hidden")
        log.warning("shown")
        #expect(try capture.objects().map { $0["message"] as? String } == ["shown"])
    }

    @Test func concurrentWritersNeverInterleaveLines() async throws {
        let capture = Capture()
        let log = logger(capture)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<50 { log.info("line", metadata: ["task": "\(task)", "index": "\(index)"]) }
                }
            }
        }
        #expect(try capture.objects().count == 400)
    }

    @Test func formatsTimestampsAsRFC3339UTCWithMicroseconds() {
        #expect(WallClock.rfc3339(seconds: 1_700_000_000, nanoseconds: 123_456_789) == "2023-11-14T22:13:20.123456Z")
        #expect(WallClock.rfc3339(seconds: 0, nanoseconds: 5_000) == "1970-01-01T00:00:00.000005Z")
    }
}
