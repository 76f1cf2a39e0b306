import Foundation
import TradewindData
import ZIPFoundation

/// Input files as the importer reads them: a `.zip` (as Binance publishes them, one `.csv`
/// inside) is unpacked into a hidden folder beside the output and read from there; anything
/// else is read in place (plain or gzip-compressed).
final class ZipInputs {
    private let folder: URL

    init(besides out: String) {
        let target = URL(fileURLWithPath: out).standardizedFileURL
        folder = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).unzip-\(getpid())")
    }

    func input(_ file: String) throws(ImportError) -> DatasetImport.Input {
        guard file.lowercased().hasSuffix(".zip") else { return DatasetImport.Input(name: file) }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .read)
        } catch {
            throw .badFile(file: file, reason: "cannot open as a zip archive: \(error)")
        }
        let members = archive.filter { $0.type == .file && !$0.path.hasPrefix("__MACOSX/") }
        guard members.count == 1, let member = members.first else {
            throw .badFile(file: file, reason: "expected one file inside, found \(members.count)")
        }
        let destination = folder.appendingPathComponent(UUID().uuidString + "-" + URL(fileURLWithPath: member.path).lastPathComponent)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            _ = try archive.extract(member, to: destination)
        } catch {
            throw .badFile(file: file, reason: "cannot unpack \(member.path): \(error)")
        }
        return DatasetImport.Input(name: file, path: destination.path)
    }

    /// Removes the unpacked copies.
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
