/// Every slice of the suite in one process, with no bus: market data, strategy, risk, execution
/// (with the simulated venue) and positions, fed one market event at a time in the processing
/// order the daemons keep in lockstep replay. A backtest is this type over a dataset.
///
/// One step, for a market event of time t:
/// 1. market data: bars that closed by t, the event, the bar a trade closed (`MarketDataSlice`);
/// 2. strategy: the quotes among them (what the signal bridge subscribes to), in order → signals and intents;
/// 3. risk: the step's quotes, then `clock(t)`, then the intents → approvals, denials, state changes;
/// 4. execution: risk's state changes of the previous step, the step's quotes, trades and book
///    updates in order (the simulated venue takes them: resting orders may fill), `clock(t)`, then
///    risk's outputs of this step in order (state changes and approvals) → order events and their reports;
/// 5. risk: the step's execution reports, in order (its state changes reach execution next step);
/// 6. positions: the step's quotes (marks), then the fills among the reports.
public struct CoreRuntime: Sendable {
    public private(set) var marketData: MarketDataSlice
    public private(set) var strategy: SignalEngine
    public private(set) var risk: RiskEngine
    public private(set) var execution: ExecutionSlice
    public private(set) var positions: PositionBook
    /// Steps taken (market events fed).
    public private(set) var steps = 0
    /// Risk's trading states announced after execution finished a step (with risk's time when it
    /// announced them), delivered at the next one.
    private var statesForExecution: [(state: TradingState, timeNs: Int64)]

    public init(
        marketData: MarketDataSlice, strategy: SignalEngine, risk: RiskEngine, execution: ExecutionSlice,
        positions: PositionBook = PositionBook()
    ) {
        self.marketData = marketData
        self.strategy = strategy
        self.risk = risk
        self.execution = execution
        self.positions = positions
        // risk announces its state when it starts; execution meets it at the first step
        statesForExecution = [(risk.tradingState, risk.latestTimeNs ?? 0)]
    }

    /// Everything one step produced, in the order it happened. Reused from step to step, so a
    /// step that changes nothing allocates nothing.
    public struct Step: Sendable {
        public var time: Int64 = 0
        public var marketEvents: [MarketEvent] = []
        public var signals: [Signal] = []
        public var intents: [OrderIntent] = []
        public var riskOutputs: [RiskOutput] = []
        public var orderEvents: [ExecutionSlice.OrderEvent] = []
        public var fills: [PositionBook.AppliedFill] = []
        /// Order events the execution machine could not apply, and the like (for the log).
        public var notes: [ExecutionSlice.Output] = []
        fileprivate var strategyOutputs: [StrategyOutput] = []
        fileprivate var executed: [ExecutionSlice.Output] = []
        fileprivate var reports: [ExecutionReport] = []

        public init() {}

        fileprivate mutating func clear(time: Int64) {
            self.time = time
            if !marketEvents.isEmpty { marketEvents.removeAll(keepingCapacity: true) }
            if !signals.isEmpty { signals.removeAll(keepingCapacity: true) }
            if !intents.isEmpty { intents.removeAll(keepingCapacity: true) }
            if !riskOutputs.isEmpty { riskOutputs.removeAll(keepingCapacity: true) }
            if !orderEvents.isEmpty { orderEvents.removeAll(keepingCapacity: true) }
            if !fills.isEmpty { fills.removeAll(keepingCapacity: true) }
            if !notes.isEmpty { notes.removeAll(keepingCapacity: true) }
            if !strategyOutputs.isEmpty { strategyOutputs.removeAll(keepingCapacity: true) }
            if !executed.isEmpty { executed.removeAll(keepingCapacity: true) }
            if !reports.isEmpty { reports.removeAll(keepingCapacity: true) }
        }
    }

    /// Feeds one market event through every slice.
    public mutating func step(_ event: MarketEvent, into step: inout Step) {
        steps += 1
        let time = event.timeNs
        step.clear(time: time)
        marketData.apply(event, into: &step.marketEvents)

        for case .quote(let quote) in step.marketEvents {
            strategy.apply(.quote(quote), into: &step.strategyOutputs)
        }
        for output in step.strategyOutputs {
            switch output {
            case .signal(let signal): step.signals.append(signal)
            case .intent(let intent): step.intents.append(intent)
            }
        }

        for case .quote(let quote) in step.marketEvents {
            step.riskOutputs += risk.apply(.quote(quote))
        }
        step.riskOutputs += risk.apply(.clock(timeNs: time))
        for intent in step.intents {
            step.riskOutputs += risk.apply(.intent(intent))
        }
        let riskTimeNs = risk.latestTimeNs ?? time
        let decisions = step.riskOutputs.count

        if !statesForExecution.isEmpty {
            for (state, announcedNs) in statesForExecution {
                execution.apply(.tradingState(state, timeNs: announcedNs), into: &step.executed)
            }
            statesForExecution.removeAll(keepingCapacity: true)
        }
        for event in step.marketEvents {
            switch event {
            case .quote(let quote): execution.apply(.quote(quote), into: &step.executed)
            case .trade(let trade): execution.apply(.trade(trade), into: &step.executed)
            case .book(let update): execution.apply(.book(update), into: &step.executed)
            case .bar: break
            }
        }
        execution.apply(.clock(timeNs: time), into: &step.executed)
        for index in 0..<decisions {
            switch step.riskOutputs[index] {
            case .approved(let order): execution.apply(.approved(order), into: &step.executed)
            case .tradingStateChanged(_, let to, _): execution.apply(.tradingState(to, timeNs: riskTimeNs), into: &step.executed)
            case .denied, .pendingExpired, .killSwitchChanged, .commandRefused, .circuitChanged, .remembered: break
            }
        }

        for output in step.executed {
            switch output {
            case .orderEvent(let orderEvent):
                step.orderEvents.append(orderEvent)
                if let report = orderEvent.report { step.reports.append(report) }
            case .venueCommand, .duplicateIgnored, .eventRefused, .discrepancy, .bookDropped:
                step.notes.append(output)
            }
        }

        for report in step.reports {
            let outputs = risk.apply(.executionReport(report))
            guard !outputs.isEmpty else { continue }
            step.riskOutputs += outputs
            for case .tradingStateChanged(_, let to, _) in outputs { statesForExecution.append((to, risk.latestTimeNs ?? time)) }
        }

        for case .quote(let quote) in step.marketEvents {
            _ = positions.apply(quote: quote)
        }
        for report in step.reports where report.isFill {
            if case .applied(let applied) = positions.apply(fill: report) { step.fills.append(applied) }
        }
    }
}
