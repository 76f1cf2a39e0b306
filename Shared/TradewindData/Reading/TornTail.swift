/// Bytes at the end of an incomplete dataset's open segment that do not form a whole, valid
/// block (a recording that crashed or is still being written): reported, never read.
public struct TornTail: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// Where the torn bytes start.
    public var offset: Int64
    public var bytes: Int64

    public var description: String { "\(file): \(bytes) torn bytes \(DatasetError.at(offset)) ignored" }
}
