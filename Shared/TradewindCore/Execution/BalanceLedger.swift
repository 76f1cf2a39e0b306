/// Expected account balances: a baseline (e.g. the venue's balances at start) plus every applied
/// fill (buy: base + quantity, quote − notional; sell: the reverse; then − fee in the fee currency).
/// Fills are deduplicated by "<clientOrderId>|<tradeId>", so replaying reports changes nothing.
/// A Codable value: persist it and restore it whole.
public struct BalanceLedger: Sendable, Hashable, Codable {
    /// Base and quote asset of an instrument.
    public struct Assets: Sendable, Hashable, Codable {
        public var base: String
        public var quote: String

        public init(base: String, quote: String) {
            self.base = base
            self.quote = quote
        }
    }

    /// What `apply` did with a report.
    public enum Outcome: String, Sendable, Hashable, Codable {
        case applied
        /// The fill was applied before.
        case duplicate
        /// Not a fill report (ack, cancel, reject).
        case notAFill = "not_a_fill"
        /// No assets known for the report's instrument.
        case unknownInstrument = "unknown_instrument"
    }

    /// Balances the ledger started from (or was last re-based to).
    public private(set) var baseline: [String: Quantity]
    /// Baseline plus every applied fill: what the venue should report.
    public private(set) var expectedBalances: [String: Quantity]
    /// Assets of each instrument fills can move.
    public let assets: [InstrumentId: Assets]
    /// Most recent fill keys, oldest first from `fillKeyHead` (bounded by `DedupeMemory.capacity`).
    private var fillKeyLog: [String]
    private var fillKeyHead = 0
    private var fillKeySet: Set<String>

    public init(baseline: [String: Quantity], instruments: [InstrumentId: Instrument]) {
        self.baseline = baseline
        expectedBalances = baseline
        assets = instruments.mapValues { Assets(base: $0.baseAsset, quote: $0.quoteAsset) }
        fillKeyLog = []
        fillKeySet = []
    }

    /// A ledger starting from the venue's totals (free + locked) per asset.
    public init(baseline account: VenueAccount, instruments: [InstrumentId: Instrument]) {
        self.init(baseline: Self.totals(of: account), instruments: instruments)
    }

    /// Totals (free + locked) per asset of `account`.
    public static func totals(of account: VenueAccount) -> [String: Quantity] {
        Dictionary(account.balances.map { ($0.asset, $0.total) }, uniquingKeysWith: { first, _ in first })
    }

    /// The expected balance of `asset` (zero if it never appeared).
    public func balance(_ asset: String) -> Quantity { expectedBalances[asset] ?? .zero }

    /// Remembered fill keys, oldest first.
    public var fillKeys: [String] { Array(fillKeyLog[fillKeyHead...]) }

    /// Applies a fill report once; other reports change nothing.
    @discardableResult
    public mutating func apply(_ report: ExecutionReport) -> Outcome {
        guard report.isFill else { return .notAFill }
        guard let pair = assets[report.instrument] else { return .unknownInstrument }
        let key = "\(report.clientOrderId)|\(report.tradeId)"
        guard !fillKeySet.contains(key) else { return .duplicate }
        remember(key)
        let charged = report.charged
        let changes = Self.changes(
            side: report.side, quantity: report.lastQuantity, price: report.lastPrice, fee: charged.amount,
            feeAsset: charged.asset, assets: pair)
        for (asset, units) in changes { move(asset, by: units) }
        return .applied
    }

    /// Starts again from `newBaseline` (e.g. after the operator accepted the venue's balances); fills
    /// already applied stay remembered, so they are not counted again.
    public mutating func rebase(to newBaseline: [String: Quantity]) {
        baseline = newBaseline
        expectedBalances = newBaseline
    }

    /// How one fill moves balances, in units per asset (notional rounded half-even, as venues do).
    /// An empty `feeAsset` means the quote asset.
    public static func changes(
        side: Side, quantity: Quantity, price: Price, fee: Money, feeAsset: String, assets: Assets
    ) -> [(asset: String, units: Int128)] {
        let sign: Int128 = side == .buy ? 1 : -1
        let notional = Money.productUnits(price.units, quantity.units)
        return [
            (assets.base, sign * Int128(quantity.units)),
            (assets.quote, -sign * notional),
            (feeAsset.isEmpty ? assets.quote : feeAsset, -Int128(fee.units)),
        ]
    }

    private mutating func move(_ asset: String, by units: Int128) {
        expectedBalances[asset] = .saturating(Int128(expectedBalances[asset, default: .zero].units) + units)
    }

    private mutating func remember(_ key: String) {
        fillKeyLog.append(key)
        fillKeySet.insert(key)
        while fillKeyLog.count - fillKeyHead > DedupeMemory.capacity {
            fillKeySet.remove(fillKeyLog[fillKeyHead])
            fillKeyHead += 1
        }
        if fillKeyHead > 4_096, fillKeyHead * 2 > fillKeyLog.count {
            fillKeyLog.removeFirst(fillKeyHead)
            fillKeyHead = 0
        }
    }

    private enum CodingKeys: String, CodingKey { case baseline, expectedBalances, assets, fillKeys }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        baseline = try container.decode([String: Quantity].self, forKey: .baseline)
        expectedBalances = try container.decode([String: Quantity].self, forKey: .expectedBalances)
        assets = try container.decode([InstrumentId: Assets].self, forKey: .assets)
        fillKeyLog = Array(try container.decode([String].self, forKey: .fillKeys).suffix(DedupeMemory.capacity))
        fillKeySet = Set(fillKeyLog)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(expectedBalances, forKey: .expectedBalances)
        try container.encode(assets, forKey: .assets)
        try container.encode(fillKeys, forKey: .fillKeys)
    }

    public static func == (lhs: BalanceLedger, rhs: BalanceLedger) -> Bool {
        lhs.baseline == rhs.baseline && lhs.expectedBalances == rhs.expectedBalances && lhs.assets == rhs.assets && lhs.fillKeyLog[lhs.fillKeyHead...] == rhs.fillKeyLog[rhs.fillKeyHead...]
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(expectedBalances)
        hasher.combine(fillKeyLog[fillKeyHead...])
    }
}
