/// A multi-row `INSERT ... VALUES (...),(...) ON CONFLICT ...` built from consecutive records
/// of one shape, within PostgreSQL's 65,535-parameter limit and a bounded statement size.
struct BatchStatement {
    static let maxParameters = 65_535
    static let maxParameterBytes = 32 << 20

    var sql: String
    var parameters: [PGValue?]
    var rowCount: Int

    /// Statements that write `records` in order. For `.update`, a key repeated inside one
    /// statement keeps only its last row (PostgreSQL refuses to update a row twice in one
    /// command); later statements still apply after earlier ones. Records must be validated.
    static func statements(for records: some Collection<PersistedRecord>) throws(StoreError) -> [BatchStatement] {
        var statements: [BatchStatement] = []
        var group: [PersistedRecord] = []
        var groupBytes = 0
        for record in records {
            let bytes = record.values.reduce(0) { $0 + ($1?.renderedSizeEstimate ?? 0) }
            if let first = group.first,
               !first.hasSameShape(as: record)
                || (group.count + 1) * first.columns.count > maxParameters
                || groupBytes + bytes > maxParameterBytes {
                statements.append(try statement(for: group))
                group.removeAll(keepingCapacity: true)
                groupBytes = 0
            }
            group.append(record)
            groupBytes += bytes
        }
        if !group.isEmpty { statements.append(try statement(for: group)) }
        return statements
    }

    private static func statement(for group: [PersistedRecord]) throws(StoreError) -> BatchStatement {
        let shape = group[0]
        let rows = deduplicated(group)
        let table = try SQLIdentifier.quotedQualified(shape.table)
        var quotedColumns: [String] = []
        for column in shape.columns { quotedColumns.append(try SQLIdentifier.quoted(column)) }
        let key = shape.conflict.key.map { "\"\($0)\"" }.joined(separator: ", ")

        var sql = "INSERT INTO \(table) (\(quotedColumns.joined(separator: ", "))) VALUES "
        sql.reserveCapacity(sql.utf8.count + rows.count * shape.columns.count * 7 + 200)
        var parameters: [PGValue?] = []
        parameters.reserveCapacity(rows.count * shape.columns.count)
        for (rowIndex, row) in rows.enumerated() {
            sql += rowIndex == 0 ? "(" : ", ("
            for columnIndex in row.values.indices {
                if columnIndex > 0 { sql += ", " }
                sql += "$\(parameters.count + 1)"
                parameters.append(row.values[columnIndex])
            }
            sql += ")"
        }
        let updated = zip(shape.columns, quotedColumns).filter { !shape.conflict.key.contains($0.0) }.map(\.1)
        switch shape.conflict {
        case .update where !updated.isEmpty:
            sql += " ON CONFLICT (\(key)) DO UPDATE SET " + updated.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        case .update, .ignore:
            sql += " ON CONFLICT (\(key)) DO NOTHING"
        }
        return BatchStatement(sql: sql, parameters: parameters, rowCount: rows.count)
    }

    private static func deduplicated(_ group: [PersistedRecord]) -> [PersistedRecord] {
        guard case .update = group[0].conflict, group.count > 1 else { return group }
        var lastIndexByKey: [[PGValue?]: Int] = [:]
        for (index, record) in group.enumerated() { lastIndexByKey[record.keyValues()] = index }
        guard lastIndexByKey.count < group.count else { return group }
        return group.indices.filter { lastIndexByKey[group[$0].keyValues()] == $0 }.map { group[$0] }
    }
}
