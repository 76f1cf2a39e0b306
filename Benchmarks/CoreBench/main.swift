import Foundation
import TradewindCore

/// `tradewind-bench-core`: the in-process cost of one pre-trade check pass (every check of the
/// risk engine, on an intent that passes them all) and of one OMS order event (submit, venue ack,
/// venue fill), and what a host adds per order event to persist the order (its state as JSON), as
/// median / p99 / p99.9 over many iterations; then the L2 book's cost per delta (BookBench.swift).
/// Release build: `make bench`.

struct Samples {
    var name: String
    var nanoseconds: [Int64] = []

    mutating func time<T>(_ body: () -> T) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        nanoseconds.append(Int64(DispatchTime.now().uptimeNanoseconds - start))
        return result
    }

    func report() {
        let sorted = nanoseconds.sorted()
        func at(_ q: Double) -> String {
            let ns = sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
            return String(format: "%.2f µs", Double(ns) / 1_000)
        }
        print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) n=\(sorted.count)  median \(at(0.5))  p99 \(at(0.99))  p99.9 \(at(0.999))  max \(at(1.0))")
    }
}

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 200_000
let btc = try! InstrumentId(parsing: "SIM:BTCUSDT")
let eth = try! InstrumentId(parsing: "SIM:ETHUSDT")
let instruments: [InstrumentId: Instrument] = [
    btc: Instrument(id: btc, baseAsset: "BTC", quoteAsset: "USDT", tickSize: Price("0.01")!, lotSize: Quantity("0.0001")!, minQuantity: Quantity("0.0001")!),
    eth: Instrument(id: eth, baseAsset: "ETH", quoteAsset: "USDT", tickSize: Price("0.01")!, lotSize: Quantity("0.001")!, minQuantity: Quantity("0.001")!),
]
let limits = RiskLimits(
    allowedInstruments: [btc, eth], instruments: instruments, maxOrderNotional: Money("1000000")!,
    maxOrderQuantity: [btc: Quantity("10")!, eth: Quantity("100")!], maxPosition: [btc: Quantity("1000")!, eth: Quantity("10000")!],
    defaultMaxPosition: .zero, maxGrossExposure: Money("100000000")!, priceCollarBps: 100, maxQuoteAgeNs: 5_000_000_000,
    strategyRateLimit: RateLimit(burst: 1_000_000, perSecond: 1_000_000), globalRateLimit: RateLimit(burst: 1_000_000, perSecond: 1_000_000),
    maxOpenOrders: 1_000, maxDailyLoss: Money("1000000")!, maxDrawdown: Money("1000000")!, breachAction: .halted,
    circuitBreaker: CircuitBreakerConfiguration(failureThreshold: 5, windowNs: 10_000_000_000, openDurationNs: 5_000_000_000))

// MARK: one pre-trade check pass

var risk = try! RiskEngine(limits: limits)
var timeNs: Int64 = 1_700_000_000_000_000_000
for (id, mid) in [(btc, "65000"), (eth, "3200")] {
    let center = Price(mid)!
    _ = risk.apply(.quote(Quote(instrument: id, bid: center - Price("0.5")!, bidSize: Quantity("5")!, ask: center + Price("0.5")!, askSize: Quantity("5")!, timeNs: timeNs)))
}
var checks = Samples(name: "risk: pre-trade check pass")
for index in 0..<iterations {
    timeNs += 1_000
    let side: Side = index % 2 == 0 ? .buy : .sell
    let intent = OrderIntent(
        intentId: "bench-\(index)", strategy: "bench", instrument: btc, side: side, orderType: .limit, timeInForce: .gtc,
        quantity: Quantity("0.01")!, limitPrice: Price(side == .buy ? "64990.00" : "65010.00")!, timeNs: timeNs)
    let outputs = checks.time { risk.apply(.intent(intent)) }
    guard case .approved(let order)? = outputs.first else { fatalError("bench intent denied: \(outputs)") }
    // the order finishes at once, so exposure and open orders stay level across iterations
    let report = ExecutionReport(
        clientOrderId: order.clientOrderId, venueOrderId: "V\(index)", intentId: order.intentId, strategy: "bench",
        instrument: btc, side: side, execType: .fill, orderStatus: .filled, lastQuantity: order.quantity,
        lastPrice: order.limitPrice!, cumulativeQuantity: order.quantity, leavesQuantity: .zero, averagePrice: order.limitPrice!,
        fee: .zero, feeCurrency: "USDT", liquidity: .maker, tradeId: "T\(index)", eventNumber: 3, timeNs: timeNs)
    _ = risk.apply(.executionReport(report))
}
checks.report()

// MARK: one OMS order event

var core = ExecutionCore(instruments: instruments, policy: .defaults)
_ = core.apply(.quote(Quote(instrument: btc, bid: Price("64999.5")!, bidSize: Quantity("5")!, ask: Price("65000.5")!, askSize: Quantity("5")!, timeNs: timeNs)))
var submit = Samples(name: "oms: submit (approved order)")
var ack = Samples(name: "oms: venue ack")
var fill = Samples(name: "oms: venue fill")
for index in 0..<iterations {
    timeNs += 1_000
    let id = "TW-oms-\(index)"
    let approved = ApprovedOrder(
        intentId: "oms-\(index)", clientOrderId: id, strategy: "bench", instrument: btc, side: .buy, orderType: .limit,
        timeInForce: .gtc, quantity: Quantity("0.01")!, limitPrice: Price("64990.00")!, timeNs: timeNs)
    _ = submit.time { core.apply(.approved(approved)) }
    _ = ack.time { core.apply(.venue(.accepted(clientOrderId: id, venueOrderId: "V\(index)", timeNs: timeNs))) }
    _ = fill.time {
        core.apply(.venue(.filled(
            clientOrderId: id, venueOrderId: "V\(index)", tradeId: "T\(index)", quantity: Quantity("0.01")!,
            price: Price("64990.00")!, fee: Money("0.65")!, liquidity: .maker, timeNs: timeNs)))
    }
}
submit.report()
ack.report()
fill.report()

// MARK: what a host adds per order event: the order's state as JSON for its database row

// (the daemons persist each order's exact state as JSON; Foundation's JSONEncoder is the cost
// the pipeline benchmark's execution stage shows beside the core's few microseconds)
guard let finished = core.order(clientOrderId: "TW-oms-\(iterations - 1)") else { fatalError("bench order missing") }
let encoder = JSONEncoder()
encoder.outputFormatting = .sortedKeys
var json = Samples(name: "host: order state as JSON")
for _ in 0..<min(iterations, 50_000) {
    _ = json.time { try! encoder.encode(finished) }
}
json.report()

// MARK: the L2 book: per-delta cost

try! BookBench.run(iterations: iterations)
