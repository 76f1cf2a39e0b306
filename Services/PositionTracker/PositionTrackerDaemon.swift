import TradewindDaemonKit

@main
enum PositionTrackerDaemon {
    static func main() async {
        let context = DaemonStartup.prepare(executable: "tradewind-position-tracker", section: "position_tracker") {
            try PositionTrackerSettings($0)
        }
        let view = StateSnapshot(PositionsView())
        let host = PositionTrackerHost(publishInterval: context.settings.publishInterval, view: view)
        var daemon = BusDaemon(
            context: context,
            upstreams: [
                Upstream(section: "execution_engine", service: "execution-engine", topicPrefixes: ["exec.report."]),
                Upstream(section: "market_data", service: "market-data", topicPrefixes: ["md.quote."]),
            ],
            tickInterval: .milliseconds(50),
            handler: host)
        daemon.http.addJSONRoute(path: "/v1/positions") { view.read() }
        await daemon.run()
    }
}
