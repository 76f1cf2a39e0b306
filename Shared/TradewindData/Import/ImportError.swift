/// Why an import failed. Every case about the input names the file (as given) and, for a line,
/// its number from 1; nothing of the dataset is left behind when one is thrown.
public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A line that does not parse, or that breaks the file's time order.
    case badLine(file: String, line: Int, reason: String)
    /// A file that cannot be opened or read, or whose name or content does not fit the format.
    case badFile(file: String, reason: String)
    /// Arguments that do not fit together (e.g. an output directory that exists).
    case badArguments(String)
    /// Writing the dataset failed.
    case output(DatasetError)

    public var description: String {
        switch self {
        case .badLine(let file, let line, let reason): return "\(file):\(line): \(reason)"
        case .badFile(let file, let reason): return "\(file): \(reason)"
        case .badArguments(let reason): return reason
        case .output(let error): return "writing the dataset: \(error)"
        }
    }

    /// True for problems of the input (exit code 2), false for a failed write.
    public var isBadInput: Bool {
        if case .output = self { return false }
        return true
    }
}

/// What is wrong with one line; the file stream adds the file and the line number.
public struct ImportLineError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
