import TradewindWire

/// The bus topic names (DESIGN §3) and the rule tying each payload to its topic root.
public enum BusTopic {
    public static func quote(_ instrument: String) -> String { "md.quote.\(instrument)" }
    public static func trade(_ instrument: String) -> String { "md.trade.\(instrument)" }
    public static func book(_ instrument: String) -> String { "md.book.\(instrument)" }
    public static func bar(_ instrument: String) -> String { "md.bar.\(instrument)" }
    /// A live feed's connection and book states (`FeedState`).
    public static let feed = "md.feed"
    public static func signal(strategy: String, instrument: String) -> String { "sig.\(strategy).\(instrument)" }
    public static func intent(strategy: String) -> String { "intent.\(strategy)" }
    public static let riskOrder = "risk.order"
    public static let riskDenied = "risk.denied"
    public static let riskState = "risk.state"
    public static func executionReport(_ instrument: String) -> String { "exec.report.\(instrument)" }
    public static func position(_ instrument: String) -> String { "pos.\(instrument)" }
    public static let portfolioPnl = "pnl.portfolio"
    public static func heartbeat(service: String) -> String { "hb.\(service)" }
    /// Lockstep replay: where `service` says it finished a phase of a step.
    public static func watermark(service: String) -> String { "wm.\(service)" }
    /// Operator commands to a control ingress: "ctl.kill", "ctl.resume".
    public static func control(_ action: String) -> String { "ctl.\(action)" }

    /// Prefixes subscribers match on (ZeroMQ matches topics by prefix).
    public enum Prefix {
        public static let quote = "md.quote."
        public static let trade = "md.trade."
        public static let book = "md.book."
        public static let bar = "md.bar."
        public static let intent = "intent."
        public static let executionReport = "exec.report."
        public static let position = "pos."
        public static let heartbeat = "hb."
        public static let control = "ctl."
        public static let watermark = "wm."
    }

    /// The root a topic carrying `payload` must equal or extend with ".…" (e.g. "md.quote").
    public static func root(for payload: Tradewind_V1_Envelope.OneOf_Payload) -> String {
        switch payload {
        case .quote: "md.quote"
        case .trade: "md.trade"
        case .book: "md.book"
        case .bar: "md.bar"
        case .signal: "sig"
        case .intent: "intent"
        case .approvedOrder: riskOrder
        case .riskDenial: riskDenied
        case .tradingState: riskState
        case .executionReport: "exec.report"
        case .position: "pos"
        case .portfolioPnl: portfolioPnl
        case .heartbeat: "hb"
        case .control: "ctl"
        case .watermark: "wm"
        case .feedState: feed
        }
    }

    /// The family of the topics that carry `payload`.
    public static func family(for payload: Tradewind_V1_Envelope.OneOf_Payload) -> TopicFamily {
        switch payload {
        case .quote, .trade, .book, .bar, .feedState: .md
        case .signal: .sig
        case .intent: .intent
        case .approvedOrder, .riskDenial, .tradingState: .risk
        case .executionReport: .exec
        case .position: .pos
        case .portfolioPnl: .pnl
        case .heartbeat: .hb
        case .control: .ctl
        case .watermark: .wm
        }
    }

    /// The payload case name, for logs and errors ("executionReport").
    public static func payloadName(_ payload: Tradewind_V1_Envelope.OneOf_Payload) -> String {
        switch payload {
        case .quote: "quote"
        case .trade: "trade"
        case .book: "book"
        case .bar: "bar"
        case .signal: "signal"
        case .intent: "intent"
        case .approvedOrder: "approvedOrder"
        case .riskDenial: "riskDenial"
        case .tradingState: "tradingState"
        case .executionReport: "executionReport"
        case .position: "position"
        case .portfolioPnl: "portfolioPnl"
        case .heartbeat: "heartbeat"
        case .control: "control"
        case .watermark: "watermark"
        case .feedState: "feedState"
        }
    }

    /// Whether `topic` may carry `payload`: it equals the payload's root or extends it with ".".
    public static func matches(topic: String, payload: Tradewind_V1_Envelope.OneOf_Payload) -> Bool {
        let root = root(for: payload)
        guard topic.hasPrefix(root) else { return false }
        let rest = topic.utf8.dropFirst(root.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: ".")
    }
}
