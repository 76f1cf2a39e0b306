import Foundation
import Testing
import TradewindCore

@Suite struct RiskLimitsTests {
    @Test func testingLimitsAreValid() throws {
        try RiskLimits.testing().validate()
    }

    /// A limits change that must be refused, naming `key`.
    struct InvalidLimit: Sendable, CustomTestStringConvertible {
        let key: String
        let configure: @Sendable (inout RiskLimits) -> Void

        init(_ key: String, _ configure: @escaping @Sendable (inout RiskLimits) -> Void) {
            self.key = key
            self.configure = configure
        }

        var testDescription: String { key }
    }

    static let invalidLimits: [InvalidLimit] = [
        InvalidLimit("allowedInstruments") { $0.instruments[TestInstruments.ethId] = nil },
        InvalidLimit("maxOrderQuantity") { $0.maxOrderQuantity[TestInstruments.ethId] = nil },
        InvalidLimit("maxOrderQuantity[SIM:BTCUSDT]") { $0.maxOrderQuantity[TestInstruments.btcId] = .zero },
        InvalidLimit("maxOrderNotional") { $0.maxOrderNotional = .zero },
        InvalidLimit("defaultMaxPosition") { $0.defaultMaxPosition = qty("-1") },
        InvalidLimit("maxPosition[SIM:BTCUSDT]") { $0.maxPosition[TestInstruments.btcId] = qty("-1") },
        InvalidLimit("maxGrossExposure") { $0.maxGrossExposure = .zero },
        InvalidLimit("priceCollarBps") { $0.priceCollarBps = 0 },
        InvalidLimit("priceCollarBps") { $0.priceCollarBps = 10_001 },
        InvalidLimit("maxQuoteAgeNs") { $0.maxQuoteAgeNs = 0 },
        InvalidLimit("strategyRateLimit.burst") { $0.strategyRateLimit.burst = 0 },
        InvalidLimit("strategyRateLimit.perSecond") { $0.strategyRateLimit.perSecond = 0 },
        InvalidLimit("globalRateLimit.burst") { $0.globalRateLimit.burst = RateLimit.maximum + 1 },
        InvalidLimit("globalRateLimit.perSecond") { $0.globalRateLimit.perSecond = -1 },
        InvalidLimit("maxOpenOrders") { $0.maxOpenOrders = 0 },
        InvalidLimit("maxDailyLoss") { $0.maxDailyLoss = .zero },
        InvalidLimit("maxDrawdown") { $0.maxDrawdown = usd("-1") },
        InvalidLimit("breachAction") { $0.breachAction = .active },
        InvalidLimit("circuitBreaker.failureThreshold") { $0.circuitBreaker.failureThreshold = 0 },
        InvalidLimit("circuitBreaker.windowNs") { $0.circuitBreaker.windowNs = 0 },
        InvalidLimit("circuitBreaker.openDurationNs") { $0.circuitBreaker.openDurationNs = -5 },
        InvalidLimit("unacknowledgedOrderTimeoutNs") { $0.unacknowledgedOrderTimeoutNs = 0 },
    ]

    @Test(arguments: invalidLimits)
    func rejectsInvalidValueNamingTheKey(_ invalid: InvalidLimit) {
        var limits = RiskLimits.testing()
        invalid.configure(&limits)
        #expect {
            try RiskEngine(limits: limits)
        } throws: { error in
            (error as? ConfigurationError)?.key == invalid.key
        }
    }

    @Test func acceptsTheEdgesOfEachRange() throws {
        var limits = RiskLimits.testing()
        limits.priceCollarBps = 10_000
        limits.maxQuoteAgeNs = 1
        limits.strategyRateLimit = RateLimit(burst: RateLimit.maximum, perSecond: 1)
        limits.globalRateLimit = RateLimit(burst: 1, perSecond: RateLimit.maximum)
        limits.maxOpenOrders = 1
        limits.breachAction = .reducing
        limits.circuitBreaker = CircuitBreakerConfiguration(failureThreshold: 1, windowNs: 1, openDurationNs: 1)
        try limits.validate()
        limits.priceCollarBps = 1
        try limits.validate()
    }

    @Test func roundTripsThroughJSON() throws {
        let limits = RiskLimits.testing()
        let data = try JSONEncoder().encode(limits)
        #expect(try JSONDecoder().decode(RiskLimits.self, from: data) == limits)
    }
}
