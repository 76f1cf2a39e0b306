/// The first segment of a bus topic; a bounded set, used as the `family` metric label.
public enum TopicFamily: String, CaseIterable, Sendable {
    case md, sig, intent, risk, exec, pos, pnl, hb, ctl, wm

    /// The family of `topic` ("md" for "md.quote.SIM:BTCUSDT"), or nil if it is not a bus family.
    public init?(topic: some StringProtocol) {
        self.init(rawValue: String(topic.prefix { $0 != "." }))
    }
}
