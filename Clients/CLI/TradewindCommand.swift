import ArgumentParser

/// `tradewind`: the operator's command-line tool.
@main
struct TradewindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradewind",
        abstract: "Operate a Tradewind suite.",
        subcommands: [
            Status.self, Health.self, Orders.self, Positions.self, Tail.self, Kill.self, Resume.self, CancelAll.self, Audit.self, Suite.self,
            DataCommand.self, Record.self, Backtest.self,
        ]
    )

    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The execution engine's order audit trail.",
            subcommands: [AuditVerify.self]
        )
    }
}
