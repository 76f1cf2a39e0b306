import Foundation

/// The data root (configuration `data.root`, default `data/`) and its six folders (DESIGN §9).
public struct DataRoot: Sendable, Hashable {
    /// The folders under the root, in the order data moves through them.
    public enum Folder: String, Sendable, Hashable, CaseIterable {
        /// Frames as received from a venue, with local receive time.
        case raw
        /// Events derived from raw by the live feed's normalizer.
        case normalized
        /// Validated, promoted datasets: what backtests read by default.
        case canonical
        case derived
        /// Sets that failed validation, with their report.
        case quarantine
        /// Backtest runs.
        case experiments
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `root/folder`.
    public func path(of folder: Folder) -> String {
        path + "/" + folder.rawValue
    }

    /// `root/folder/name`, e.g. a dataset in `canonical`.
    public func path(of folder: Folder, _ name: String) -> String {
        path(of: folder) + "/" + name
    }

    /// Creates `folder` (and the root) if missing; returns its path.
    @discardableResult
    public func create(_ folder: Folder) throws(DatasetError) -> String {
        let target = path(of: folder)
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } catch {
            throw .io(path: target, operation: "create directory", reason: error.localizedDescription)
        }
        return target
    }

    /// Creates every folder that is missing.
    public func createAll() throws(DatasetError) {
        for folder in Folder.allCases { try create(folder) }
    }
}
