import Foundation
import Testing
import TradewindDaemonKit

@Suite struct BearerTokenTests {
    @Test func matchesOnlyTheExactToken() {
        #expect(BearerToken.matches("s3cret-token", expected: "s3cret-token"))
        #expect(!BearerToken.matches("s3cret-tokem", expected: "s3cret-token"))
        #expect(!BearerToken.matches("s3cret-token-", expected: "s3cret-token"))
        #expect(!BearerToken.matches("s3cret", expected: "s3cret-token"))
        #expect(!BearerToken.matches("", expected: "s3cret-token"))
        #expect(!BearerToken.matches("S3CRET-TOKEN", expected: "s3cret-token"))
    }

    @Test func loadsFromFileBeforeVariableAndTrimsIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)").path
        try "  from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try BearerToken.load(environment: ["TRADEWIND_API_TOKEN_FILE": path, "TRADEWIND_API_TOKEN": "from-env"]) == "from-file")
        #expect(try BearerToken.load(environment: ["TRADEWIND_API_TOKEN": " from-env "]) == "from-env")
        #expect(try BearerToken.load(environment: [:]) == nil)
        #expect(throws: ConfigError.self) { try BearerToken.load(environment: ["TRADEWIND_API_TOKEN_FILE": path + ".missing"]) }
    }
}
