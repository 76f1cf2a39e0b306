/// How reconciliation treats what it finds.
public struct ReconciliationPolicy: Sendable, Hashable, Codable {
    /// Cancel venue orders the engine does not know whose client order id carries `ownOrderPrefix`
    /// (orphans of an earlier session); otherwise they are only reported.
    public var cancelUnknownOwnOrders: Bool
    /// Prefix of client order ids this system generates.
    public var ownOrderPrefix: String
    /// Largest balance difference per asset that is not reported.
    public var balanceTolerance: Quantity

    public init(cancelUnknownOwnOrders: Bool, ownOrderPrefix: String = ClientOrderId.prefix, balanceTolerance: Quantity = .zero) {
        self.cancelUnknownOwnOrders = cancelUnknownOwnOrders
        self.ownOrderPrefix = ownOrderPrefix
        self.balanceTolerance = balanceTolerance
    }

    /// Checks the values, naming the offending key.
    public func validate() throws(ConfigurationError) {
        guard !ownOrderPrefix.isEmpty else {
            throw ConfigurationError(key: "ownOrderPrefix", value: ownOrderPrefix, reason: "must be non-empty")
        }
        guard balanceTolerance >= .zero else {
            throw ConfigurationError(key: "balanceTolerance", value: "\(balanceTolerance)", reason: "must be >= 0")
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case cancelUnknownOwnOrders, ownOrderPrefix, balanceTolerance }

    /// Decodes with defaults for the optional keys, refuses unknown keys, then validates.
    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.stringValue), section: "reconciliation policy")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            cancelUnknownOwnOrders: try container.decode(Bool.self, forKey: .cancelUnknownOwnOrders),
            ownOrderPrefix: try container.decodeIfPresent(String.self, forKey: .ownOrderPrefix) ?? ClientOrderId.prefix,
            balanceTolerance: try container.decodeIfPresent(Quantity.self, forKey: .balanceTolerance) ?? .zero)
        try validate()
    }
}

/// One way the engine and the venue disagree, and what reconciliation did about it.
public struct ReconciliationDifference: Sendable, Hashable, Codable {
    /// Stable codes for logs, metrics labels and the database.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An open venue order the engine does not have open.
        case orderOnlyAtVenue = "order_only_at_venue"
        /// An open engine order the venue does not list as open.
        case orderOnlyInEngine = "order_only_in_engine"
        /// Both have the order, but its status or filled quantity differ.
        case statusMismatch = "status_mismatch"
        /// A venue trade of one of our orders the engine never applied.
        case fillMissed = "fill_missed"
        /// An asset balance differs from the expected one beyond the tolerance.
        case balanceMismatch = "balance_mismatch"
    }

    /// What reconciliation did.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// A `.cancel` venue command is in the report's commands.
        case cancel
        /// A `.query` venue command is in the report's commands; its answer brings the order in line.
        case query
        /// A `.venue(.filled)` event is in the report's events.
        case applyFill = "apply_fill"
        /// Nothing can be done automatically; for the operator.
        case report
    }

    public var kind: Kind
    /// Nil for balance differences.
    public var instrument: InstrumentId?
    /// Nil when unknown (foreign orders, balances).
    public var clientOrderId: String?
    /// Nil when unknown.
    public var venueOrderId: String?
    public var detail: String
    public var action: Action

    public init(kind: Kind, instrument: InstrumentId?, clientOrderId: String?, venueOrderId: String?, detail: String, action: Action) {
        self.kind = kind
        self.instrument = instrument
        self.clientOrderId = clientOrderId
        self.venueOrderId = venueOrderId
        self.detail = detail
        self.action = action
    }
}

/// The outcome of one reconciliation: what differs, the events that catch the engine up (apply
/// them to `ExecutionCore` in order) and the venue commands to send.
public struct ReconciliationReport: Sendable, Hashable, Codable {
    public var differences: [ReconciliationDifference]
    public var events: [ExecutionEvent]
    public var commands: [VenueCommand]
    /// When the venue listings were compared.
    public var timeNs: Int64

    public init(
        differences: [ReconciliationDifference] = [], events: [ExecutionEvent] = [], commands: [VenueCommand] = [], timeNs: Int64
    ) {
        self.timeNs = timeNs
        self.differences = differences
        self.events = events
        self.commands = commands
    }

    /// True when engine and venue agree.
    public var isClean: Bool { differences.isEmpty }
}
