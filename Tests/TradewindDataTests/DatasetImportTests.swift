import Foundation
import Testing
import TradewindCore
@testable import TradewindData

@Suite struct DatasetImportTests {
    typealias S = ImportSamples
    typealias F = DatasetFixtures

    @Test func filesOfSeveralKindsMergeInTimeOrderKeepingTheOrderOfTheFilesForEqualTimes() throws {
        let folder = try S.folder(["trades.csv": S.tardisTrades, "quotes.csv": S.tardisQuotes, "book.csv": S.tardisBook])
        defer { F.cleanup(folder) }
        let out = folder + "/out"
        let importer = DatasetImport(format: .tardis, naming: .symbol(venue: "BINANCE"))
        let manifest = try importer.write(["trades.csv", "book.csv", "quotes.csv"].map { DatasetImport.Input(name: folder + "/" + $0) }, to: out)
        let events = try F.readAll(out)
        #expect(events.map(\.timeNs) == [
            1_704_067_200_000_000_000, 1_704_067_200_000_123_000, 1_704_067_200_000_500_000, 1_704_067_200_000_900_000,
            1_704_067_200_100_000_000,
        ])
        #expect(manifest.counts.trade == 2 && manifest.counts.quote == 1 && manifest.counts.bookUpdate == 2 && manifest.counts.bookLevel == 7)
        #expect(manifest.complete && manifest.createdNs == 1_704_067_200_000_000_000)
        #expect(manifest.source["kind"] == "imported" && manifest.source["format"] == "tardis" && manifest.source["time"] == "exchange")

        // equal times: the file given first comes first
        let twin = try S.folder(["a-trades.csv": S.spotTrades, "b-trades.csv": S.spotTrades.replacingOccurrences(of: "33700", with: "44700")])
        defer { F.cleanup(twin) }
        try DatasetImport(format: .binanceTrades, naming: .fixed(S.btc)).write(
            [DatasetImport.Input(name: twin + "/b-trades.csv"), DatasetImport.Input(name: twin + "/a-trades.csv")], to: twin + "/out")
        let ids = try F.readAll(twin + "/out").map { event -> String in
            guard case .trade(let trade) = event else { return "" }
            return trade.tradeId
        }
        #expect(ids == ["4470000000", "3370000000", "4470000001", "4470000002", "3370000001", "3370000002"])
    }

    @Test func rulesComeFromTheConfigurationOrTheFinestDecimalsInTheData() throws {
        let folder = try S.folder(["BTCUSDT-trades-2024-01-01.csv": S.spotTrades, "ETHUSDT-trades-2024-01-01.csv": S.futuresTrades])
        defer { F.cleanup(folder) }
        let eth = try InstrumentId(parsing: "BINANCE:ETHUSDT")
        let configured = Instrument(id: eth, baseAsset: "ETH", quoteAsset: "USDT", tickSize: Price("0.05")!, lotSize: Quantity("0.001")!, minQuantity: Quantity("0.01")!)
        let manifest = try DatasetImport(format: .binanceTrades, naming: .symbol(venue: nil), configured: [eth: configured]).write(
            [DatasetImport.Input(name: folder + "/BTCUSDT-trades-2024-01-01.csv"), DatasetImport.Input(name: folder + "/ETHUSDT-trades-2024-01-01.csv")],
            to: folder + "/out")
        let instruments = try DatasetReader(directory: folder + "/out").instruments
        #expect(instruments == [
            Instrument(id: S.btc, baseAsset: "BTC", quoteAsset: "USDT", tickSize: Price("0.01")!, lotSize: Quantity("0.001")!, minQuantity: Quantity("0.001")!),
            configured,
        ])
        #expect(manifest.source["instrument_rules"] == ["BINANCE:BTCUSDT": "inferred", "BINANCE:ETHUSDT": "configuration"])
    }

    @Test func aMalformedLineNamesFileAndLineAndLeavesNothingBehind() throws {
        let bad = S.spotTrades.replacingOccurrences(of: "0.01500000", with: "0.0150000O")
        let folder = try S.folder(["BTCUSDT-trades-2024-01-01.csv": S.spotTrades, "BTCUSDT-trades-2024-01-02.csv": bad])
        defer { F.cleanup(folder) }
        let second = folder + "/BTCUSDT-trades-2024-01-02.csv"
        #expect(throws: ImportError.badLine(file: second, line: 2, reason: "qty: invalid decimal \"0.0150000O\": unexpected character at position 9")) {
            try DatasetImport(format: .binanceTrades, naming: .symbol(venue: nil)).write(
                [DatasetImport.Input(name: folder + "/BTCUSDT-trades-2024-01-01.csv"), DatasetImport.Input(name: second)], to: folder + "/out")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["BTCUSDT-trades-2024-01-01.csv", "BTCUSDT-trades-2024-01-02.csv"])
    }

    @Test func aFileOutOfTimeOrderIsRefusedAtTheLine() throws {
        let text = "exchange,symbol,timestamp,local_timestamp,id,side,price,amount\nbinance,BTCUSDT,2000,2001,1,buy,10,1\nbinance,BTCUSDT,1000,2002,2,buy,10,1\n"
        let folder = try S.folder(["t.csv": text])
        defer { F.cleanup(folder) }
        let importer = DatasetImport(format: .tardis, naming: .symbol(venue: nil))
        #expect(throws: ImportError.badLine(
            file: folder + "/t.csv", line: 3,
            reason: "time 1000000 ns is before the previous row's 2000000 ns; each file must be in time order (Tardis files are in arrival order: --time local follows it)")) {
            try importer.write([DatasetImport.Input(name: folder + "/t.csv")], to: folder + "/out")
        }
        var local = importer
        local.time = .local
        #expect(try local.write([DatasetImport.Input(name: folder + "/t.csv")], to: folder + "/out").counts.trade == 2)
    }

    @Test func anExistingOutputOrAMissingInputIsBadInput() throws {
        let folder = try S.folder(["BTCUSDT-trades-2024-01-01.csv": S.spotTrades])
        defer { F.cleanup(folder) }
        let importer = DatasetImport(format: .binanceTrades, naming: .symbol(venue: nil))
        let input = DatasetImport.Input(name: folder + "/BTCUSDT-trades-2024-01-01.csv")
        #expect(throws: ImportError.badArguments("\(folder) already exists; an import writes a new dataset")) { try importer.write([input], to: folder) }
        let missing = DatasetImport.Input(name: folder + "/BTCUSDT-trades-2024-01-09.csv")
        #expect(throws: ImportError.badFile(file: missing.name, reason: "cannot open: No such file or directory")) {
            try importer.write([missing], to: folder + "/out")
        }
    }

    @Test func exactDecimalsSurviveTheImport() throws {
        let folder = try S.folder(["BTCUSDT-bookTicker-2024-01-01.csv": S.bookTicker])
        defer { F.cleanup(folder) }
        try DatasetImport(format: .binanceBookTicker, naming: .symbol(venue: nil)).write(
            [DatasetImport.Input(name: folder + "/BTCUSDT-bookTicker-2024-01-01.csv")], to: folder + "/out")
        var cursor = try DatasetReader(directory: folder + "/out").events()
        let record = try #require(try cursor.nextRecord())
        #expect([record.value0, record.value1, record.value2, record.value3] == [4_228_350_000_000, 123_400_000, 4_228_360_000_000, 50_000_000])
    }

    @Test func theLineReaderHandlesCarriageReturnsAMissingLastNewlineAndLinesLongerThanItsBuffer() throws {
        let long = String(repeating: "x", count: 100)
        let folder = try S.folder(["lines.txt": "a,b\r\n\(long)\nlast"])
        defer { F.cleanup(folder) }
        let reader = try ImportLineReader(path: folder + "/lines.txt", bufferBytes: 16)
        var lines: [String] = []
        while let line = try reader.nextLine() { lines.append(line) }
        #expect(lines == ["a,b", long, "last"])
    }
}
