import Foundation
import TradewindCore
import TradewindDaemonKit
import TradewindVenues

/// Builds the configured venue; a bad setting or missing credential stops start-up naming it.
enum VenueFactory {
    typealias Context = DaemonContext<(runtime: RuntimeSettings, engine: ExecutionEngineSettings)>

    /// The in-process simulated venue, reached in event time.
    static func simulatedLink(_ settings: ExecutionEngineSettings, context: Context) -> SimulatedVenueLink {
        do {
            let venue = try SimulatedVenue(configuration: settings.simulated)
            return try SimulatedVenueLink(venue: venue, latency: settings.latency, seed: settings.simulated.seed)
        } catch {
            context.failStartup("simulated venue refused its configuration", error)
        }
    }

    /// The gateway to a real venue; nil for the simulated one.
    static func gateway(_ settings: ExecutionEngineSettings, context: Context) -> VenueGateway? {
        switch settings.venue {
        case .simulated: return nil
        case .binance: return VenueGateway(adapter: binance(settings, context: context), logger: context.logger)
        }
    }

    private static func binance(_ settings: ExecutionEngineSettings, context: Context) -> any VenueAdapter {
        let credentials: BinanceCredentials
        do {
            credentials = try BinanceCredentials.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            // a missing or unreadable credential is configuration: exit 2 naming the variable
            DaemonStartup.failConfiguration(
                executable: context.executable,
                error: .invalidValue(path: "execution_engine.venue is binance", value: error.value.isEmpty ? error.key : "\(error.key)=\(error.value)", reason: error.reason))
        }
        guard let url = URL(string: settings.binance.baseURL) else {
            DaemonStartup.failConfiguration(
                executable: context.executable,
                error: .invalidValue(
                    path: "execution_engine.binance_base_url", value: "\"\(settings.binance.baseURL)\"", reason: "not a URL"))
        }
        let retry = RetryPolicy(
            initialDelayMs: Int64(settings.retry.initialDelay.nanoseconds / 1_000_000), multiplier: 2,
            maxDelayMs: Int64(settings.retry.maxDelay.nanoseconds / 1_000_000), maxAttempts: settings.retry.maxAttempts)
        let configuration = BinanceConfiguration(
            baseURL: url, recvWindowMs: settings.binance.recvWindowMs, requestTimeoutMs: settings.binance.timeoutMs,
            instruments: settings.instruments, retry: retry)
        let client: BinanceRESTClient
        do {
            client = try BinanceRESTClient(configuration: configuration, credentials: credentials, logger: context.logger)
        } catch {
            DaemonStartup.failConfiguration(
                executable: context.executable,
                error: .invalidValue(path: "execution_engine.binance_\(error.key)", value: "\"\(error.value)\"", reason: error.reason))
        }
        let logger = context.logger
        return RetryingVenueAdapter(
            wrapping: BinanceVenueAdapter(client: client, logger: context.logger), policy: retry,
            onRetry: { operation, error, attempt in
                VenueMetrics.retried(venue: "BINANCE", operation: operation, error: error)
                logger.notice("venue call retried", metadata: [
                    "venue": "BINANCE", "operation": "\(operation)", "attempt": "\(attempt)", "error": "\(error)",
                ])
            })
    }
}
