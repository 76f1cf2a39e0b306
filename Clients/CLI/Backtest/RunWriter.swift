import Foundation
import TradewindCore

/// Writes a backtest's run directory as the run goes: fills, denials, and at every sample time of
/// event time (and at every fill) positions, equity and prices; orders at the end, in the order
/// they were created, with their final state. See docs/BACKTEST_REPORT.md for the files.
final class RunWriter {
    static let outputFiles = ["orders.csv", "fills.csv", "positions.csv", "equity.csv", "prices.csv", "denials.csv"]

    private let fills: HashedFile
    private let positions: HashedFile
    private let equity: HashedFile
    private let prices: HashedFile
    private let denials: HashedFile
    private let directory: URL
    private let initialCapital: Money
    private let sampleIntervalNs: Int64
    private var nextSampleNs: Int64?
    private var orders: [String: Order] = [:]
    private var orderSequence: [String] = []
    private var lastQuotes: [InstrumentId: Quote] = [:]

    init(directory: URL, initialCapital: Money, sampleIntervalNs: Int64) throws {
        self.directory = directory
        self.initialCapital = initialCapital
        self.sampleIntervalNs = sampleIntervalNs
        fills = try HashedFile(directory: directory, name: "fills.csv")
        positions = try HashedFile(directory: directory, name: "positions.csv")
        equity = try HashedFile(directory: directory, name: "equity.csv")
        prices = try HashedFile(directory: directory, name: "prices.csv")
        denials = try HashedFile(directory: directory, name: "denials.csv")
        fills.row(["time_ns", "client_order_id", "trade_id", "instrument", "side", "quantity", "price", "fee", "fee_currency", "liquidity"])
        positions.row(["time_ns", "instrument", "quantity", "average_price", "mark_price", "realized_pnl", "unrealized_pnl"])
        equity.row(["time_ns", "equity", "realized_pnl", "unrealized_pnl", "fees", "drawdown", "gross_exposure"])
        prices.row(["time_ns", "instrument", "bid", "ask", "mid"])
        denials.row(["time_ns", "intent_id", "instrument", "reason_code", "detail"])
    }

    /// Records one step, with the runtime as it stands after it.
    func record(_ step: CoreRuntime.Step, runtime: CoreRuntime) {
        for case .quote(let quote) in step.marketEvents { lastQuotes[quote.instrument] = quote }
        for orderEvent in step.orderEvents {
            let id = orderEvent.order.clientOrderId
            if orders.updateValue(orderEvent.order, forKey: id) == nil { orderSequence.append(id) }
        }
        for output in step.riskOutputs {
            guard case .denied(let denial) = output else { continue }
            denials.row(["\(denial.timeNs)", denial.intentId, "\(denial.instrument)", denial.reason.code, Self.field(denial.detail)])
        }
        let book = runtime.positions.engine
        for applied in step.fills {
            let report = applied.report
            fills.row([
                "\(report.timeNs)", report.clientOrderId, report.tradeId, "\(report.instrument)", report.side.rawValue,
                "\(report.lastQuantity)", "\(report.lastPrice)", "\(report.fee)", report.feeCurrency, report.liquidity.rawValue,
            ])
            writePosition(applied.position, atNs: report.timeNs)
            writeEquity(book.portfolio, atNs: report.timeNs)
        }
        guard step.time >= (nextSampleNs ?? .min) else { return }
        nextSampleNs = (step.time / sampleIntervalNs + 1) * sampleIntervalNs
        for position in book.sortedPositions { writePosition(position, atNs: step.time) }
        writeEquity(book.portfolio, atNs: step.time)
        for instrument in lastQuotes.keys.sorted() {
            guard let quote = lastQuotes[instrument] else { continue }
            prices.row(["\(step.time)", "\(instrument)", "\(quote.bid)", "\(quote.ask)", quote.isTwoSided ? "\(quote.mid)" : ""])
        }
    }

    /// Writes the orders and closes every file; returns each file's SHA-256 by name.
    func finish() throws -> [String: String] {
        let ordersFile = try HashedFile(directory: directory, name: "orders.csv")
        ordersFile.row([
            "client_order_id", "intent_id", "strategy", "instrument", "side", "order_type", "time_in_force", "quantity",
            "limit_price", "status", "filled_quantity", "average_price", "fees", "reason_code", "reason_detail",
            "created_ns", "updated_ns",
        ])
        for id in orderSequence {
            guard let order = orders[id] else { continue }
            ordersFile.row([
                order.clientOrderId, order.intentId, order.strategy, "\(order.instrument)", order.side.rawValue,
                order.orderType.rawValue, order.timeInForce.rawValue, "\(order.quantity)", order.limitPrice.map { "\($0)" } ?? "",
                order.status.rawValue, "\(order.filledQuantity)", order.averagePrice.map { "\($0)" } ?? "", "\(order.fees)",
                order.reason?.code.rawValue ?? "", Self.field(order.reason?.detail ?? ""), "\(order.createdTimeNs)", "\(order.updatedTimeNs)",
            ])
        }
        var hashes = ["orders.csv": try ordersFile.finish()]
        for file in [fills, positions, equity, prices, denials] { hashes[file.name] = try file.finish() }
        return hashes
    }

    private func writePosition(_ position: Position, atNs time: Int64) {
        positions.row([
            "\(time)", "\(position.instrument)", "\(position.quantity)", "\(position.averagePrice)",
            position.markPrice.map { "\($0)" } ?? "", "\(position.realizedPnl)", "\(position.unrealizedPnl)",
        ])
    }

    private func writeEquity(_ portfolio: PortfolioPnl, atNs time: Int64) {
        let value = Money.saturating(Int128(initialCapital.units) + Int128(portfolio.totalPnl.units))
        equity.row([
            "\(time)", "\(value)", "\(portfolio.realizedPnl)", "\(portfolio.unrealizedPnl)", "\(portfolio.fees)",
            "\(portfolio.drawdown)", "\(portfolio.grossExposure)",
        ])
    }

    /// Free text made safe for a comma-separated field.
    static func field(_ text: String) -> String {
        String(text.map { $0 == "," || $0 == "\n" || $0 == "\r" || $0 == "\"" ? ";" : $0 })
    }
}
