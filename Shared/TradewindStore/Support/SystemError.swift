import Glibc

/// The `strerror` text of an errno value, for errors that name what failed.
enum SystemError {
    static func describe(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }

    static var last: String { describe(errno) }
}
