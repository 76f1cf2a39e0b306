import TradewindCore

/// Opens a canonical dataset: reads and checks its manifest, then hands out cursors that stream
/// its events (`events()`), checking every block's CRC and every segment's SHA-256 as they go.
///
///     let reader = try DatasetReader(directory: "data/canonical/synth-42-1000000")
///     var cursor = try reader.events()
///     while let event = try cursor.next() { ... }
public struct DatasetReader: Sendable {
    /// What a cursor checks as it reads.
    public enum Verification: Sendable, Hashable {
        /// Every block's CRC-32, and every sealed segment's SHA-256, size and record count.
        case full
        /// Every block's CRC-32 and every segment's size and record count, not the SHA-256: for
        /// hot loops over a dataset already verified (`tradewind data verify`).
        case blockChecksums
    }

    public let directory: String
    public let manifest: DatasetManifest
    /// The manifest's instruments, in index order (a record's `instrument` indexes this).
    public let instruments: [Instrument]

    public init(directory: String) throws(DatasetError) {
        self.directory = directory
        manifest = try DatasetManifest.load(directory: directory)
        instruments = try manifest.coreInstruments(path: directory + "/" + DatasetFormat.manifestFileName)
    }

    /// A new cursor at the first event.
    public func events(verification: Verification = .full) throws(DatasetError) -> DatasetCursor {
        DatasetCursor(stream: BlockStream(directory: directory, manifest: manifest, verification: verification), instruments: instruments)
    }
}
