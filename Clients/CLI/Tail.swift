import ArgumentParser
import Foundation
import SwiftProtobuf
import TradewindBus

/// `tradewind tail`: subscribes to every daemon's PUB endpoint and prints each message as one
/// JSON line, `{"topic": ..., "envelope": <the envelope in protobuf's JSON mapping>}`.
struct Tail: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the bus's messages as JSON lines.",
        discussion: """
            Without prefixes every topic except heartbeats (hb.*) is shown. Prefixes match as \
            ZeroMQ does, e.g. `tradewind tail md.quote.SIM:BTCUSDT exec.report`. Frames that are \
            not Tradewind messages are counted on stderr and skipped.
            """)

    @OptionGroup var suite: SuiteOptions

    @Argument(help: "Topic prefixes to show (default: all but heartbeats).")
    var prefixes: [String] = []

    @Option(help: "Stop after this many messages (exit 1 if --seconds passes first).")
    var count: Int?

    @Option(help: "Stop after this many seconds.")
    var seconds: Double?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be greater than 0") }
    }

    func run() throws {
        let endpoints = try suite.daemons().map(\.pubEndpoint)
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, kind: .subscriber)
        defer { socket.close() }
        for prefix in prefixes.isEmpty ? [""] : prefixes { try socket.subscribe(prefix: prefix) }
        for endpoint in endpoints { try socket.connect(endpoint) }

        let deadline = seconds.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
        var printed = 0
        var dropped = 0
        while count.map({ printed < $0 }) ?? true {
            if let deadline, ContinuousClock.now >= deadline { break }
            guard let multipart = try socket.receive(maxFrames: 2) else {
                usleep(1_000)
                continue
            }
            let message: BusMessage
            do {
                message = try BusMessageDecoder.decode(multipart, receivedAtNs: 0)
            } catch {
                dropped += 1
                FileHandle.standardError.write(Data("tradewind tail: dropped a frame (\(error.rawValue)); \(dropped) so far\n".utf8))
                continue
            }
            if prefixes.isEmpty, message.topic.hasPrefix("hb.") { continue }
            // unbuffered, so a pipe (`| jq`, a test) sees each message as it arrives
            FileHandle.standardOutput.write(Data((try Self.line(message) + "\n").utf8))
            printed += 1
        }
        if let count, printed < count {
            FileHandle.standardError.write(Data("tradewind tail: \(printed) of \(count) messages before --seconds passed\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `{"topic":"…","envelope":{…}}` for one message.
    static func line(_ message: BusMessage) throws -> String {
        let topic = try JSONEncoder().encode(message.topic)
        return "{\"topic\":\(String(decoding: topic, as: UTF8.self)),\"envelope\":\(try message.envelope.jsonString())}"
    }
}
