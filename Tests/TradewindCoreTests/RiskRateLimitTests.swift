import Testing
import TradewindCore

@Suite struct TokenBucketTests {
    private static let rate = RateLimit(burst: 2, perSecond: 2)

    /// Takes a token at each time in turn, returning which takes succeeded.
    private static func takes(_ bucket: inout TokenBucket, at times: Int64...) -> [Bool] {
        times.map { bucket.take(at: $0, rate: rate) }
    }

    @Test func startsFullAndEmptiesAfterBurst() {
        var bucket = TokenBucket(full: Self.rate, timeNs: 0)
        #expect(Self.takes(&bucket, at: 0, 0) == [true, true])
        #expect(!bucket.canTake(at: 0, rate: Self.rate))
        #expect(Self.takes(&bucket, at: 0) == [false])
    }

    @Test func refillsOneTokenPerPeriodExactly() {
        var bucket = TokenBucket(full: Self.rate, timeNs: 0)
        _ = bucket.take(at: 0, rate: Self.rate)
        _ = bucket.take(at: 0, rate: Self.rate)
        #expect(!bucket.canTake(at: 499_999_999, rate: Self.rate))
        #expect(bucket.tokens(at: 499_999_999, rate: Self.rate) == usd("0.99999999"))
        #expect(Self.takes(&bucket, at: 500_000_000) == [true])
        #expect(!bucket.canTake(at: 500_000_000, rate: Self.rate))
    }

    @Test func neverHoldsMoreThanTheBurst() {
        var bucket = TokenBucket(full: Self.rate, timeNs: 0)
        bucket.refill(to: 3_600_000_000_000, rate: Self.rate)
        #expect(bucket.tokens(at: 3_600_000_000_000, rate: Self.rate) == usd("2"))
        bucket.refill(to: .max, rate: Self.rate)
        #expect(bucket.nanoTokens == TokenBucket.capacity(Self.rate))
    }

    @Test func timeGoingBackwardsRefillsNothing() {
        var bucket = TokenBucket(full: Self.rate, timeNs: 1_000_000_000)
        _ = bucket.take(at: 1_000_000_000, rate: Self.rate)
        _ = bucket.take(at: 1_000_000_000, rate: Self.rate)
        #expect(Self.takes(&bucket, at: 0) == [false])
        #expect(bucket.refilledAtNs == 1_000_000_000)
        #expect(Self.takes(&bucket, at: 1_500_000_000) == [true])
    }
}

@Suite struct RiskRateLimitTests {
    private var intent = IntentBuilder()

    private static func engine(strategy: RateLimit, global: RateLimit = RateLimit(burst: 1_000, perSecond: 1_000)) throws -> RiskEngine {
        try RiskFixtures.engine(.testing { limits in
            limits.strategyRateLimit = strategy
            limits.globalRateLimit = global
        })
    }

    private mutating func order(_ strategy: String, at timeNs: Int64, limit: String = "100") -> OrderIntent {
        intent.strategy = strategy
        return intent(.buy, "0.001", limit: limit).at(timeNs)
    }

    @Test mutating func strategyBucketRefillsOverTime() throws {
        var engine = try Self.engine(strategy: RateLimit(burst: 1, perSecond: 10))
        #expect(isApproved(engine.apply(.intent(order("a", at: 1_000_000_000)))))
        let denied = engine.apply(.intent(order("a", at: 1_099_999_999)))
        #expect(denialReason(denied) == .rateLimitStrategy)
        if case .denied(let denial)? = denied.first {
            #expect(denial.limit == "1")
            #expect(denial.observed == "0.99999999")
        }
        #expect(isApproved(engine.apply(.intent(order("a", at: 1_100_000_000)))))
    }

    @Test mutating func eachStrategyHasItsOwnBucket() throws {
        var engine = try Self.engine(strategy: RateLimit(burst: 2, perSecond: 1))
        #expect(isApproved(engine.apply(.intent(order("a", at: 5_000)))))
        #expect(isApproved(engine.apply(.intent(order("a", at: 5_000)))))
        #expect(denialReason(engine.apply(.intent(order("a", at: 5_000)))) == .rateLimitStrategy)
        #expect(isApproved(engine.apply(.intent(order("b", at: 5_000)))))
    }

    @Test mutating func globalBucketCapsAllStrategiesWithoutEatingTheirTokens() throws {
        var engine = try Self.engine(strategy: RateLimit(burst: 2, perSecond: 1), global: RateLimit(burst: 3, perSecond: 1_000))
        #expect(isApproved(engine.apply(.intent(order("a", at: 5_000)))))
        #expect(isApproved(engine.apply(.intent(order("a", at: 5_000)))))
        #expect(isApproved(engine.apply(.intent(order("b", at: 5_000)))))
        #expect(denialReason(engine.apply(.intent(order("b", at: 5_000)))) == .rateLimitGlobal)
        #expect(denialReason(engine.apply(.intent(order("b", at: 5_000)))) == .rateLimitGlobal)
        #expect(isApproved(engine.apply(.intent(order("b", at: 1_005_000)))), "b kept its second token; the global one refilled in 1 ms")
        #expect(denialReason(engine.apply(.intent(order("b", at: 3_005_000)))) == .rateLimitStrategy)
    }

    @Test mutating func deniedIntentsTakeNoTokens() throws {
        var engine = try Self.engine(strategy: RateLimit(burst: 1, perSecond: 1))
        #expect(denialReason(engine.apply(.intent(order("a", at: 5_000, limit: "100.001")))) == .invalidPrice)
        #expect(denialReason(engine.apply(.intent(order("a", at: 5_000, limit: "200")))) == .priceCollar)
        #expect(isApproved(engine.apply(.intent(order("a", at: 5_000)))))
        #expect(denialReason(engine.apply(.intent(order("a", at: 5_000)))) == .rateLimitStrategy)
    }

    @Test mutating func replayedPendingIntentIsReapprovedWithoutTakingATokenEvenWhenEmpty() throws {
        var engine = try Self.engine(strategy: RateLimit(burst: 2, perSecond: 1))
        let first = order("a", at: 5_000)
        let approved = engine.apply(.intent(first))
        #expect(isApproved(approved))
        #expect(engine.apply(.intent(first)) == approved)
        #expect(engine.apply(.intent(first)) == approved)
        #expect(isApproved(engine.apply(.intent(order("a", at: 5_000)))))
        #expect(engine.apply(.intent(first)) == approved, "re-approved although the bucket is empty")
        #expect(denialReason(engine.apply(.intent(order("a", at: 5_000)))) == .rateLimitStrategy)
    }

    @Test mutating func clockForgetsRefilledBucketsWithoutChangingDecisions() throws {
        var engine = try Self.engine(strategy: RateLimit(burst: 1, perSecond: 1))
        #expect(isApproved(engine.apply(.intent(order("a", at: 1_000_000_000)))))
        _ = engine.apply(.clock(timeNs: 1_500_000_000))
        #expect(denialReason(engine.apply(.intent(order("a", at: 1_500_000_000)))) == .rateLimitStrategy)
        _ = engine.apply(.clock(timeNs: 2_000_000_000))
        #expect(engine.snapshot.strategyBuckets.isEmpty)
        #expect(isApproved(engine.apply(.intent(order("a", at: 2_000_000_000)))))
        #expect(denialReason(engine.apply(.intent(order("a", at: 2_000_000_000)))) == .rateLimitStrategy)
    }
}
