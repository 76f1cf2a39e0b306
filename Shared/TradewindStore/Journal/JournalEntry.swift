/// A journaled record on its way to the database, with where its frame ends in the journal.
struct JournalEntry: Sendable {
    var record: PersistedRecord
    var frameBytes: Int
    var end: JournalPosition
}
