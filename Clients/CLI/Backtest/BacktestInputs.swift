import Crypto
import Foundation
import TradewindCore
import TradewindDaemonKit
import TradewindData

/// Everything a backtest needs, checked before anything is written: the dataset opens, the
/// configuration decodes, the dataset carries every instrument the strategy trades with the same
/// precision, and every sweep combination decodes too. A failure prints one line and exits 2.
struct BacktestInputs {
    let dataset: DatasetReader
    let configFile: String?
    let configuration: SuiteConfiguration
    let assembly: RuntimeAssembly
    let name: String
    let dataRoot: DataRoot
    /// Sweep keys as given ("signal_bridge.fast_period") with their values, in order.
    let sweeps: [(key: String, values: [String])]
    /// Read the dataset even from quarantine or with a failing validation report.
    let allowUnvalidated: Bool

    static func prepare(data: String, configFile: String?, name: String?, sweeps: [String], allowUnvalidated: Bool = false) throws -> BacktestInputs {
        let dataset: DatasetReader
        do {
            dataset = try DatasetReader(directory: data)
        } catch {
            throw Self.badInput("dataset \(data): \(error)")
        }
        let configuration: SuiteConfiguration
        let assembly: RuntimeAssembly
        do {
            configuration = try SuiteConfiguration.load(configFile: configFile)
            assembly = try RuntimeAssembly(configuration, defaultSession: BacktestRun.defaultSession)
        } catch {
            throw Self.badInput("configuration: \(error)")
        }
        let dataRoot: DataRoot
        do {
            dataRoot = try DataSettings(configuration).root
        } catch {
            throw Self.badInput("configuration: \(error)")
        }
        if !allowUnvalidated, let refusal = DatasetPromotion.refusal(directory: data, root: dataRoot) {
            throw Self.badInput("\(refusal); pass --allow-unvalidated to run it anyway")
        }
        try check(assembly, against: dataset, path: data)
        var parsed: [(key: String, values: [String])] = []
        for text in sweeps {
            guard let equals = text.firstIndex(of: "="), text[..<equals].contains(".") else {
                throw Self.badInput("--sweep \(text): expected section.key=v1,v2,…")
            }
            let values = text[text.index(after: equals)...].split(separator: ",").map(String.init)
            guard !values.isEmpty else { throw Self.badInput("--sweep \(text): no values") }
            parsed.append((String(text[..<equals]), values))
        }
        for combination in Self.combinations(parsed) {
            do {
                let swept = try SuiteConfiguration.load(configFile: configFile, environment: Self.environment(for: combination))
                try check(try RuntimeAssembly(swept, defaultSession: BacktestRun.defaultSession), against: dataset, path: data)
            } catch let error as CLIError {
                throw error
            } catch {
                throw Self.badInput("--sweep \(combination.map { "\($0.key)=\($0.value)" }.joined(separator: " ")): \(error)")
            }
        }
        let configHash = SHA256.hash(data: Data(configuration.jsonText(pretty: false).utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
        let folder = URL(fileURLWithPath: data).standardizedFileURL.lastPathComponent
        return BacktestInputs(
            dataset: dataset, configFile: configFile, configuration: configuration, assembly: assembly,
            name: name ?? "\(folder)-\(configHash)", dataRoot: dataRoot, sweeps: parsed, allowUnvalidated: allowUnvalidated)
    }

    /// The run directory, emptied: `out`, else `<data root>/experiments/<name>`.
    func runDirectory(out: String?) throws -> URL {
        let directory = out.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: dataRoot.path(of: .experiments)).appendingPathComponent(name)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The dataset must hold every instrument the strategy trades or risk allows, with the same precision.
    private static func check(_ assembly: RuntimeAssembly, against dataset: DatasetReader, path: String) throws {
        let carried = Dictionary(dataset.instruments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in assembly.tradedInstruments.sorted() {
            guard let instrument = carried[id] else {
                let has = carried.keys.sorted().map(\.description).joined(separator: ", ")
                throw badInput("the configuration trades \(id), which dataset \(path) lacks (it has \(has))")
            }
            if let configured = assembly.executionEngine.instruments[id],
               configured.tickSize != instrument.tickSize || configured.lotSize != instrument.lotSize {
                throw badInput(
                    "\(id): the configuration's tick/lot \(configured.tickSize)/\(configured.lotSize) differ from the dataset's "
                        + "\(instrument.tickSize)/\(instrument.lotSize)")
            }
        }
    }

    /// Every combination of the sweep's values, in order (the first key varies slowest).
    static func combinations(_ sweeps: [(key: String, values: [String])]) -> [[(key: String, value: String)]] {
        sweeps.reduce([[]]) { partial, sweep in
            partial.flatMap { prefix in sweep.values.map { prefix + [(sweep.key, $0)] } }
        }
    }

    /// `TRADEWIND_<SECTION>_<KEY>` overrides for a combination, over this process's environment.
    static func environment(for combination: [(key: String, value: String)]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in combination {
            environment["TRADEWIND_" + key.uppercased().replacingOccurrences(of: ".", with: "_")] = value
        }
        return environment
    }

    static func badInput(_ message: String) -> CLIError {
        CLIError(message, exitCode: 2)
    }
}
