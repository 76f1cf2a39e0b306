import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Filesystem side of `ipc://` endpoints: directory creation and stale-socket clean-up.
enum IPCEndpoint {
    /// Longest path a Unix socket address holds (sun_path less its terminating NUL).
    static let maxPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// The filesystem path of an `ipc://` endpoint; nil for other transports and abstract sockets.
    static func path(of endpoint: String) -> String? {
        guard endpoint.hasPrefix("ipc://") else { return nil }
        let path = String(endpoint.dropFirst("ipc://".count))
        return path.hasPrefix("@") ? nil : path
    }

    /// Makes `path` bindable: creates its parent directory, removes a socket file no process
    /// listens on, and refuses to touch a live socket or a file that is not a socket.
    static func prepareForBind(path: String, endpoint: String) throws(BusError) {
        guard !path.isEmpty else { throw .ipcPath(path: path, reason: "empty path") }
        guard path.utf8.count <= maxPathBytes else {
            throw .ipcPath(path: path, reason: "longer than \(maxPathBytes) bytes (Unix socket limit)")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw .ipcPath(path: path, reason: "cannot create directory \(parent): \(error)")
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw .ipcPath(path: path, reason: "exists and is not a socket")
        }
        if acceptsConnections(path: path) { throw .endpointInUse(endpoint: endpoint) }
        if unlink(path) != 0 && errno != ENOENT {
            throw .ipcPath(path: path, reason: "cannot remove stale socket: \(String(cString: strerror(errno)))")
        }
    }

    /// Whether some process is listening on the Unix socket at `path`.
    static func acceptsConnections(path: String) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        return rc == 0
    }
}
