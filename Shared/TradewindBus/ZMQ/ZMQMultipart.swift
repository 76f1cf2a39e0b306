/// One received multipart message: the frames kept and how many frames it really had.
public struct ZMQMultipart: Sendable, Equatable {
    public var frames: [[UInt8]]
    public var frameCount: Int
}
