import ArgumentParser
import TradewindData
import TradewindDaemonKit

extension SuiteOptions {
    /// The merged suite configuration (defaults ← `--config` / `TRADEWIND_CONFIG` ← `TRADEWIND_*`).
    func configuration() throws -> SuiteConfiguration {
        var options = DaemonOptions()
        options.config = config
        do {
            return try SuiteConfiguration.load(configFile: options.configFile())
        } catch {
            throw ValidationError("configuration: \(error)")
        }
    }

    /// The configured data root (`data.root`).
    func dataRoot() throws -> DataRoot {
        do {
            return try DataSettings(try configuration()).root
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("configuration: \(error)")
        }
    }
}
