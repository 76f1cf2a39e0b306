import Foundation
import Glibc

/// A private PostgreSQL cluster driven through `scripts/pg.sh` (start prints its URL; stop is a
/// fast shutdown), so tests run against a real server and outage tests can stop it.
struct PGCluster: Sendable {
    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    let directory: String
    /// Passed to pg.sh as TRADEWIND_PG_PORT (the socket's name; the cluster listens on no TCP port).
    let port: Int

    /// Initialises (once) and starts the cluster; returns its libpq URL.
    @discardableResult
    func start() throws -> String {
        let output = try run("start")
        guard let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres") else {
            throw ClusterError(message: "pg.sh start printed no URL: \(output)")
        }
        return url
    }

    func stop() throws {
        _ = try run("stop")
    }

    /// Runs `pg.sh <command> <directory>` with posix_spawn and waitpid (Foundation's Process
    /// sometimes misses the exit of a script whose server daemonises), output to a temp file.
    private func run(_ command: String) throws -> String {
        let outputPath = "/tmp/twstore-pg-\(UUID().uuidString.prefix(8)).out"
        defer { unlink(outputPath) }
        var environment = ProcessInfo.processInfo.environment
        environment["TRADEWIND_DATABASE_URL"] = nil
        environment["TRADEWIND_PG_PORT"] = String(port)
        let arguments = ["/bin/bash", "\(Self.repositoryRoot)/scripts/pg.sh", command, directory]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp)
        guard spawned == 0 else { throw ClusterError(message: "posix_spawn pg.sh failed: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let output = ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0 else {
            throw ClusterError(message: "pg.sh \(command) \(directory) failed (status \(status)): \(output)")
        }
        return output
    }

    struct ClusterError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
