import TradewindDaemonKit

@main
enum ExecutionEngineDaemon {
    static func main() async {
        let context = DaemonStartup.prepare(executable: "tradewind-execution-engine", section: "execution_engine") {
            try ExecutionEngineSettings($0)
        }
        let view = StateSnapshot(OrderBookView())
        let host = ExecutionEngineHost(execution: context.settings.execution, view: view)
        var daemon = BusDaemon(
            context: context,
            upstreams: [
                Upstream(section: "risk_manager", service: "risk-manager", topicPrefixes: ["risk.order", "risk.state"]),
                Upstream(section: "market_data", service: "market-data", topicPrefixes: ["md.quote."]),
            ],
            tickInterval: .milliseconds(100),
            handler: host)
        daemon.http.addJSONRoute(path: "/v1/orders") { view.read() }
        await daemon.run()
    }
}
