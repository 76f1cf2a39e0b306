import Foundation

/// `tradewind data promote`: a validated dataset moves into the data root, into `canonical/` when
/// its report passed and into `quarantine/` when it failed, with the report as `validation.json`
/// beside its manifest.
public enum DatasetPromotion {
    /// Where the dataset went.
    public enum Outcome: Sendable, Hashable {
        case promoted(String)
        case quarantined(String)

        public var path: String {
            switch self {
            case .promoted(let path), .quarantined(let path): return path
            }
        }
    }

    /// The folder a dataset with `report` belongs in.
    public static func folder(for report: ValidationReport) -> DataRoot.Folder {
        report.passed ? .canonical : .quarantine
    }

    /// Writes the report into `directory` and moves the directory to `<root>/<folder>/<name>`
    /// (the directory's own name); a dataset already there is not overwritten.
    public static func move(directory: String, report: ValidationReport, root: DataRoot) throws(DatasetError) -> Outcome {
        let folder = folder(for: report)
        let source = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath()
        let parent = try root.create(folder)
        let target = URL(fileURLWithPath: parent).standardizedFileURL.resolvingSymlinksInPath().appendingPathComponent(source.lastPathComponent)
        let moving = target.path != source.path
        if moving, FileManager.default.fileExists(atPath: target.path) {
            throw .io(path: target.path, operation: "move \(source.path)", reason: "a dataset of that name is already there")
        }
        let reportPath = source.appendingPathComponent(ValidationReport.fileName).path
        do {
            try report.json().write(to: URL(fileURLWithPath: reportPath), options: .atomic)
        } catch {
            throw .io(path: reportPath, operation: "write", reason: error.localizedDescription)
        }
        if moving {
            do {
                try FileManager.default.moveItem(at: source, to: target)
            } catch {
                throw .io(path: target.path, operation: "move \(source.path)", reason: error.localizedDescription)
            }
        }
        return report.passed ? .promoted(target.path) : .quarantined(target.path)
    }

    /// Why a backtest should not read `directory` without being told to: it lies in the data
    /// root's `quarantine/`, or it carries a `validation.json` that failed (or does not decode).
    public static func refusal(directory: String, root: DataRoot) -> String? {
        let dataset = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        let quarantine = URL(fileURLWithPath: root.path(of: .quarantine)).standardizedFileURL.resolvingSymlinksInPath().path
        if dataset.hasPrefix(quarantine + "/") {
            return "dataset \(directory) is in quarantine (\(quarantine)): it failed validation"
        }
        let reportPath = dataset + "/" + ValidationReport.fileName
        guard FileManager.default.fileExists(atPath: reportPath) else { return nil }
        guard let report = ValidationReport.load(reportPath) else {
            return "dataset \(directory) carries a validation report that cannot be read (\(reportPath))"
        }
        guard report.passed else {
            let failed = report.failures.map { "\($0.check.rawValue) \($0.finding.count)" }.joined(separator: ", ")
            return "dataset \(directory) failed validation (\(failed); see \(reportPath))"
        }
        return nil
    }
}
