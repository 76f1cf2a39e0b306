import Foundation
import Testing
import TradewindCore
import TradewindVenues

@Suite struct BinanceSignerTests {
    @Test func signsTheDocumentedExample() {
        let signer = BinanceSigner(secret: "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
        let query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        #expect(signer.signature(for: query) == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
    }

    @Test func neverPrintsTheSecret() {
        #expect(!"\(BinanceSigner(secret: "s3cr3t-value"))".contains("s3cr3t"))
    }
}

@Suite struct BinanceCredentialsTests {
    private static func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-binance-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsKeyAndSecretFromVariables() throws {
        let credentials = try BinanceCredentials.fromEnvironment([
            "TRADEWIND_BINANCE_API_KEY": "key-123456789", "TRADEWIND_BINANCE_API_SECRET": "secret-abc",
        ])
        #expect(credentials.apiKey == "key-123456789")
        #expect(credentials.signer.signature(for: "a=1") == BinanceSigner(secret: "secret-abc").signature(for: "a=1"))
    }

    @Test func readsFilesWithoutTheirTrailingNewline() throws {
        let keyFile = try Self.temporaryFile("key-from-file\n")
        let secretFile = try Self.temporaryFile("secret-from-file\r\n")
        defer {
            try? FileManager.default.removeItem(atPath: keyFile)
            try? FileManager.default.removeItem(atPath: secretFile)
        }
        let credentials = try BinanceCredentials.fromEnvironment([
            "TRADEWIND_BINANCE_API_KEY_FILE": keyFile, "TRADEWIND_BINANCE_API_SECRET_FILE": secretFile,
        ])
        #expect(credentials.apiKey == "key-from-file")
        #expect(credentials.signer.signature(for: "a=1") == BinanceSigner(secret: "secret-from-file").signature(for: "a=1"))
    }

    @Test(arguments: [
        (["TRADEWIND_BINANCE_API_SECRET": "s"], "TRADEWIND_BINANCE_API_KEY or TRADEWIND_BINANCE_API_KEY_FILE"),
        (["TRADEWIND_BINANCE_API_KEY": "k"], "TRADEWIND_BINANCE_API_SECRET or TRADEWIND_BINANCE_API_SECRET_FILE"),
        (["TRADEWIND_BINANCE_API_KEY": "k", "TRADEWIND_BINANCE_API_KEY_FILE": "/k", "TRADEWIND_BINANCE_API_SECRET": "s"],
         "TRADEWIND_BINANCE_API_KEY/TRADEWIND_BINANCE_API_KEY_FILE"),
        (["TRADEWIND_BINANCE_API_KEY": "k", "TRADEWIND_BINANCE_API_SECRET_FILE": "/nonexistent/tradewind-secret"],
         "TRADEWIND_BINANCE_API_SECRET_FILE"),
    ])
    func namesTheMissingOrBadVariable(environment: [String: String], key: String) {
        #expect {
            try BinanceCredentials.fromEnvironment(environment)
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    @Test func rejectsEmptySecretFile() throws {
        let file = try Self.temporaryFile("\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect {
            try BinanceCredentials.fromEnvironment(["TRADEWIND_BINANCE_API_KEY": "k", "TRADEWIND_BINANCE_API_SECRET_FILE": file])
        } throws: { error in
            (error as? ConfigurationError)?.key == "TRADEWIND_BINANCE_API_SECRET_FILE"
        }
    }

    @Test func redactsSecretsWhenPrinted() {
        let credentials = BinanceCredentials(apiKey: "AKEY0123456789SECRETPART", secret: "very-secret-value")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains("very-secret-value"))
            #expect(!text.contains("SECRETPART"))
            #expect(text.contains("<redacted>"))
        }
    }
}
