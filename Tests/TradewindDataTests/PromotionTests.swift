import Foundation
import Testing
import TradewindCore
@testable import TradewindData

@Suite struct PromotionTests {
    typealias F = DatasetFixtures

    /// A data root in a scratch folder, with a sound dataset and a crossed one beside it.
    static func setUp(_ name: String = #function) throws -> (root: DataRoot, sound: String, crossed: String) {
        let base = F.scratch(name)
        let sound = base + "/incoming/sound"
        let crossed = base + "/incoming/crossed"
        try F.write(F.quotes(20), to: sound)
        var bad = F.quotes(20)
        bad[5] = .quote(Quote(instrument: F.btcId, bid: Price("2")!, bidSize: Quantity("1")!, ask: Price("1")!, askSize: Quantity("1")!, timeNs: F.baseNs + 5))
        try F.write(bad, to: crossed)
        return (DataRoot(path: base + "/data"), sound, crossed)
    }

    @Test func aPassingDatasetMovesIntoCanonicalWithItsReport() throws {
        let (root, sound, _) = try Self.setUp()
        defer { F.cleanup(URL(fileURLWithPath: root.path).deletingLastPathComponent().path) }
        let report = try DatasetValidation.run(directory: sound)
        let outcome = try DatasetPromotion.move(directory: sound, report: report, root: root)
        let target = URL(fileURLWithPath: root.path(of: .canonical, "sound")).standardizedFileURL.resolvingSymlinksInPath().path
        #expect(outcome == .promoted(target))
        #expect(!FileManager.default.fileExists(atPath: sound))
        #expect(ValidationReport.load(target + "/validation.json") == report)
        #expect(try DatasetValidation.run(directory: target).passed)
        #expect(DatasetPromotion.refusal(directory: target, root: root) == nil)
    }

    @Test func aFailingDatasetMovesIntoQuarantineAndABacktestWouldRefuseIt() throws {
        let (root, sound, crossed) = try Self.setUp()
        defer { F.cleanup(URL(fileURLWithPath: root.path).deletingLastPathComponent().path) }
        let report = try DatasetValidation.run(directory: crossed)
        #expect(report.failures.map(\.check) == [.crossedQuote])
        let outcome = try DatasetPromotion.move(directory: crossed, report: report, root: root)
        guard case .quarantined(let target) = outcome else { Issue.record("\(outcome)"); return }
        #expect(target.hasSuffix("/data/quarantine/crossed"))
        #expect(ValidationReport.load(target + "/validation.json")?.passed == false)
        #expect(DatasetPromotion.refusal(directory: target, root: root)?.contains("is in quarantine") == true)

        // a failing report travels with a copy outside the quarantine too
        let copy = URL(fileURLWithPath: root.path).deletingLastPathComponent().path + "/copy"
        try FileManager.default.copyItem(atPath: target, toPath: copy)
        #expect(DatasetPromotion.refusal(directory: copy, root: root)?.contains("failed validation (crossed_quote 1;") == true)
        #expect(DatasetPromotion.refusal(directory: sound, root: root) == nil)
    }

    @Test func aDatasetOfTheSameNameIsNotOverwritten() throws {
        let (root, sound, _) = try Self.setUp()
        defer { F.cleanup(URL(fileURLWithPath: root.path).deletingLastPathComponent().path) }
        try root.create(.canonical)
        try FileManager.default.createDirectory(atPath: root.path(of: .canonical, "sound"), withIntermediateDirectories: true)
        let report = try DatasetValidation.run(directory: sound)
        #expect(throws: DatasetError.self) { try DatasetPromotion.move(directory: sound, report: report, root: root) }
        #expect(FileManager.default.fileExists(atPath: sound + "/manifest.json"))
    }
}
