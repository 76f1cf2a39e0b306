import ArgumentParser
import Foundation
import TradewindDaemonKit

/// `tradewind status`: each daemon's liveness and readiness (naming the checks that fail), then
/// the risk manager's trading state. Exits 1 unless all five are ready.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show whether each daemon is alive and ready, and the trading state.")

    @OptionGroup var suite: SuiteOptions

    func run() async throws {
        try await reportingErrors {
            var table = TextTable(["DAEMON", "ADDRESS", "HEALTH", "READY", "FAILING CHECKS"])
            var allReady = true
            for daemon in try suite.daemons() {
                let health = await DaemonHTTP.get(daemon.baseURL + "/health", timeout: 2)
                let ready = await DaemonHTTP.get(daemon.baseURL + "/ready", timeout: 2)
                let failing = ready.map { Self.failingChecks($0.body) } ?? []
                allReady = allReady && ready?.status == 200
                table.add([
                    daemon.name, daemon.baseURL,
                    health.map { $0.status == 200 ? "ok" : "HTTP \($0.status)" } ?? "down",
                    ready.map { $0.status == 200 ? "ready" : "NOT READY" } ?? "down",
                    failing.joined(separator: "; "),
                ])
            }
            print(table.rendered)
            if let risk = try? await DaemonHTTP.object(try suite.daemon("risk-manager"), "/v1/risk") {
                let kill = risk["kill_switch"] == .bool(true) ? "ENGAGED" : "off"
                print("\ntrading: \(text(risk["trading_state"]))  kill switch: \(kill)  "
                      + "daily realized PnL: \(text(risk["daily_realized_pnl"]))  drawdown: \(text(risk["drawdown"]))")
                print("why: \(text(risk["state_reason"]))")
            }
            if !allReady { throw ExitCode(1) }
        }
    }

    /// "name: detail" of each failing check in a `/ready` body.
    static func failingChecks(_ body: Data) -> [String] {
        guard let checks = (try? ConfigValue(parsingJSON: String(decoding: body, as: UTF8.self)))?["checks"]?.objectMembers
        else { return [] }
        return checks.keys.sorted().compactMap { name in
            guard let check = checks[name], check["ok"] != .bool(true) else { return nil }
            return "\(name): \(text(check["detail"]))"
        }
    }
}

/// `tradewind orders`: the execution engine's open orders (or its recent finished ones) and totals.
struct Orders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the execution engine's orders.")

    @OptionGroup var suite: SuiteOptions

    @Flag(help: "Also list the most recent finished orders.")
    var recent = false

    @Flag(help: "Print the engine's JSON view as it is.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let view = try await DaemonHTTP.object(try suite.daemon("execution-engine"), "/v1/orders")
            if json { return print(view.jsonText(pretty: true)) }
            let columns = [
                ("client_order_id", "ORDER"), ("instrument", "INSTRUMENT"), ("side", "SIDE"), ("order_type", "TYPE"),
                ("time_in_force", "TIF"), ("quantity", "QTY"), ("limit_price", "LIMIT"), ("filled_quantity", "FILLED"),
                ("average_price", "AVG PRICE"), ("status", "STATUS"), ("reason_code", "REASON"),
                ("reason_detail", "DETAIL"),
            ]
            var sections = [("open orders", view["open_orders"])]
            if recent { sections.append(("recent finished orders", view["recent_orders"])) }
            for (title, rows) in sections {
                let orders = rows?.arrayElements?.compactMap(\.objectMembers) ?? []
                print("\(title): \(orders.count)")
                if !orders.isEmpty { print(TextTable(columns: columns, rows: orders).rendered) }
            }
            if let totals = view["totals"]?.objectMembers {
                print("totals: " + ["orders", "open", "filled", "canceled", "expired", "rejected", "fills"]
                    .map { "\($0) \(text(totals[$0]))" }.joined(separator: ", "))
            }
        }
    }
}

/// `tradewind positions`: the position tracker's positions marked to market and the portfolio's PnL.
struct Positions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List positions and the portfolio's PnL.")

    @OptionGroup var suite: SuiteOptions

    @Flag(help: "Print the tracker's JSON view as it is.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let view = try await DaemonHTTP.object(try suite.daemon("position-tracker"), "/v1/positions")
            if json { return print(view.jsonText(pretty: true)) }
            let positions = view["positions"]?.arrayElements?.compactMap(\.objectMembers) ?? []
            print(TextTable(columns: [
                ("instrument", "INSTRUMENT"), ("quantity", "QTY"), ("average_price", "AVG PRICE"), ("mark_price", "MARK"),
                ("realized_pnl", "REALIZED"), ("unrealized_pnl", "UNREALIZED"), ("fees", "FEES"), ("fill_count", "FILLS"),
            ], rows: positions).rendered)
            if let portfolio = view["portfolio"]?.objectMembers {
                print("\nportfolio: " + [
                    ("total PnL", "total_pnl"), ("realized", "realized_pnl"), ("unrealized", "unrealized_pnl"),
                    ("fees", "fees"), ("drawdown", "drawdown"), ("gross exposure", "gross_exposure"),
                ].map { "\($0.0) \(text(portfolio[$0.1]))" }.joined(separator: ", "))
            }
        }
    }
}

/// A JSON value as table text: strings as they are, null or absent as "-".
func text(_ value: ConfigValue?) -> String {
    switch value {
    case nil, .null?: return "-"
    case .string(let string)?: return string.isEmpty ? "-" : string
    case .number(let number)?: return number
    case let other?: return other.jsonText()
    }
}

/// Left-aligned columns separated by two spaces.
struct TextTable {
    private var rows: [[String]]

    init(_ header: [String]) { rows = [header] }

    /// A table of `columns` (JSON key, header) over JSON objects.
    init(columns: [(key: String, header: String)], rows objects: [[String: ConfigValue]]) {
        rows = [columns.map(\.header)] + objects.map { object in columns.map { text(object[$0.key]) } }
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    var rendered: String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
