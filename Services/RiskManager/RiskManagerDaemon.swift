import TradewindDaemonKit

@main
enum RiskManagerDaemon {
    static func main() async {
        let context = DaemonStartup.prepare(executable: "tradewind-risk-manager", section: "risk_manager") {
            try RiskManagerSettings($0)
        }
        let view = StateSnapshot(RiskView(context.settings.engine))
        let host = RiskManagerHost(engine: context.settings.engine, view: view)
        var daemon = BusDaemon(
            context: context,
            upstreams: [
                Upstream(section: "signal_bridge", service: "signal-bridge", topicPrefixes: ["intent."]),
                Upstream(section: "execution_engine", service: "execution-engine", topicPrefixes: ["exec.report."]),
                Upstream(section: "market_data", service: "market-data", topicPrefixes: ["md.quote."]),
            ],
            tickInterval: .milliseconds(100),
            handler: host)
        daemon.http.addJSONRoute(path: "/v1/risk") { view.read() }
        await daemon.run()
    }
}
