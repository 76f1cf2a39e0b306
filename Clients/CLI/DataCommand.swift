import ArgumentParser

/// `tradewind data`: canonical datasets (docs/DATASETS.md): write a synthetic one, show a
/// manifest, check every checksum.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Canonical event datasets: synth, inspect, verify.",
        subcommands: [DataSynth.self, DataInspect.self, DataVerify.self, DataNormalize.self]
    )
}
