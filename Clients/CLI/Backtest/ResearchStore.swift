import Foundation
import TradewindStore

/// Backtest runs in PostgreSQL's `research` schema, so runs and sweeps can be compared with SQL.
struct ResearchStore {
    let url: String

    static let migrations = [
        Migration(version: 1, name: "backtest runs", sql: """
            CREATE TABLE research.backtest_runs (
                output_hash text PRIMARY KEY,
                name text NOT NULL,
                dataset_hash text NOT NULL,
                dataset_path text NOT NULL,
                code_version text NOT NULL,
                parameters jsonb NOT NULL,
                config jsonb NOT NULL,
                statistics jsonb NOT NULL,
                events bigint NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX backtest_runs_dataset ON research.backtest_runs (dataset_hash);
            """),
    ]

    /// Records the run described by `directory`'s manifest (the same run twice is one row).
    func record(directory: URL, parameters: String) throws {
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        guard let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let dataset = manifest["dataset"] as? [String: Any] else {
            throw CLIError("\(directory.path)/manifest.json is not a run manifest")
        }
        func json(_ value: Any?) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: value ?? [:], options: [.sortedKeys]), as: UTF8.self)
        }
        let connection = try PGConnection(url: url)
        defer { connection.close() }
        _ = try Migrator(schema: "research", migrations: Self.migrations).migrate(connection)
        _ = try connection.execute("""
            INSERT INTO research.backtest_runs
                (output_hash, name, dataset_hash, dataset_path, code_version, parameters, config, statistics, events)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9)
            ON CONFLICT (output_hash) DO NOTHING
            """, [
                .text(manifest["output_hash"] as? String ?? ""), .text(manifest["name"] as? String ?? ""),
                .text(dataset["content_hash"] as? String ?? ""), .text(dataset["path"] as? String ?? ""),
                .text(manifest["code_version"] as? String ?? ""), .text(parameters), .text(try json(manifest["config"])),
                .text(try json(manifest["statistics"])), .int(Int64(manifest["events"] as? Int ?? 0)),
            ])
    }
}
