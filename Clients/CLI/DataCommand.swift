import ArgumentParser

/// `tradewind data`: canonical datasets (docs/DATASETS.md): write a synthetic one, import history,
/// show a manifest, check every checksum, validate the market data and promote or quarantine.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Event datasets: synth, import, normalize, inspect, verify, validate, promote.",
        subcommands: [
            DataSynth.self, DataImport.self, DataNormalize.self, DataInspect.self, DataVerify.self, DataValidate.self,
            DataPromote.self,
        ]
    )
}
