import Glibc

/// The few POSIX file calls the dataset code needs, retrying EINTR and short transfers and
/// turning failures into `DatasetError.io` naming the path.
enum FileIO {
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(DatasetError) {
        let result: Result<Void, DatasetError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(DatasetError) in try writeAll(fd, buffer, path: path) }
        }
        try result.get()
    }

    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws(DatasetError) {
        var done = 0
        while done < buffer.count {
            let written = write(fd, buffer.baseAddress! + done, buffer.count - done)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw .io(path: path, operation: "write", reason: SystemErrorText.last) }
            done += written
        }
    }

    static func pwriteAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: Int64, path: String) throws(DatasetError) {
        var done = 0
        while done < buffer.count {
            let written = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw .io(path: path, operation: "write", reason: SystemErrorText.last) }
            done += written
        }
    }

    static func sync(_ fd: Int32, path: String) throws(DatasetError) {
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync", reason: SystemErrorText.last) }
    }

    /// The size of the file open as `fd`.
    static func size(_ fd: Int32, path: String) throws(DatasetError) -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, operation: "stat", reason: SystemErrorText.last) }
        return Int64(info.st_size)
    }

    /// Syncs a directory, so renames and new files in it survive a power loss.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// The `strerror` text of errno values.
enum SystemErrorText {
    static var last: String { describe(errno) }

    static func describe(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}

extension FileIO {
    /// Reads up to `count` bytes at `offset` (fewer only at the end of the file); returns how many.
    static func preadUpTo(_ fd: Int32, _ pointer: UnsafeMutableRawPointer, count: Int, at offset: Int64, path: String) throws(DatasetError) -> Int {
        var done = 0
        while done < count {
            let got = pread(fd, pointer + done, count - done, off_t(offset) + off_t(done))
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw .io(path: path, operation: "read", reason: SystemErrorText.last) }
            if got == 0 { break }
            done += got
        }
        return done
    }
}
