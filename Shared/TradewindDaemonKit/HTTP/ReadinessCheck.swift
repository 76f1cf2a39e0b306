/// A named readiness condition for `GET /ready` (database reachable, upstream heartbeats fresh, ...).
public struct ReadinessCheck: Sendable {
    /// The check's name, a key of the `checks` object in the `/ready` body.
    public let name: String
    /// Evaluates the check now; must be cheap and must not block (read a ``StateSnapshot``, not a socket).
    public let evaluate: @Sendable () -> (ok: Bool, detail: String)

    /// A check called `name` evaluated by `evaluate` on every `/ready` request.
    public init(name: String, evaluate: @escaping @Sendable () -> (ok: Bool, detail: String)) {
        self.name = name
        self.evaluate = evaluate
    }
}

/// The body of `GET /ready`: `{"ready": Bool, "checks": {name: {"ok": Bool, "detail": String}}}`.
public struct ReadinessReport: Codable, Sendable, Equatable {
    /// One check's outcome.
    public struct Outcome: Codable, Sendable, Equatable {
        public var ok: Bool
        public var detail: String
    }

    /// True when every check passed (and when there are none).
    public var ready: Bool
    public var checks: [String: Outcome]

    /// Evaluates every check.
    public init(evaluating checks: [ReadinessCheck]) {
        var outcomes: [String: Outcome] = [:]
        for check in checks {
            let (ok, detail) = check.evaluate()
            outcomes[check.name] = Outcome(ok: ok, detail: detail)
        }
        self.checks = outcomes
        self.ready = outcomes.values.allSatisfy(\.ok)
    }
}
