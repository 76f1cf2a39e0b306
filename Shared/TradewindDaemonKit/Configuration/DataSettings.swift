import TradewindData

/// The `data` section: the data root whose folders hold raw, normalized and canonical datasets,
/// derived sets, quarantine and experiments (DESIGN §9). A relative root is under the working
/// directory.
public struct DataSettings: Sendable {
    public var root: DataRoot

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        root = DataRoot(path: try configuration.section("data").nonEmptyString("root"))
    }
}
