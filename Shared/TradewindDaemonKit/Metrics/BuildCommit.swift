import Foundation

/// The source commit a binary was built from, for `tradewind_build_info` and `/v1/info`.
public enum BuildCommit {
    /// The file `scripts/swift.sh build` writes beside the executables: `git describe` of the tree.
    public static let fileName = "BUILD_COMMIT"

    /// `TRADEWIND_BUILD_COMMIT`, else the first line of `BUILD_COMMIT` in `executableDirectory`,
    /// else "unknown".
    public static func resolve(environment: [String: String], executableDirectory: String) -> String {
        if let value = environment["TRADEWIND_BUILD_COMMIT"], !value.isEmpty { return value }
        let path = executableDirectory + "/" + fileName
        if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first, !line.isEmpty {
            return String(line.prefix(64))
        }
        return "unknown"
    }

    /// The directory of the running executable.
    public static var executableDirectory: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
    }
}
