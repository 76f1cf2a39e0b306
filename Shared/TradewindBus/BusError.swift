/// A failure in the bus layer, naming the operation, the endpoint or value involved and,
/// for libzmq failures, the `zmq_strerror` text.
public enum BusError: Error, Sendable, Equatable, CustomStringConvertible {
    case contextCreation(reason: String)
    case contextTermination(reason: String)
    case socketCreation(kind: String, reason: String)
    case socketOption(option: String, value: String, reason: String)
    case bind(endpoint: String, reason: String)
    case connect(endpoint: String, reason: String)
    /// A live process already serves this ipc endpoint, so binding would steal its path.
    case endpointInUse(endpoint: String)
    case ipcPath(path: String, reason: String)
    case send(endpoint: String, topic: String, reason: String)
    case receive(endpoint: String, reason: String)
    case poll(reason: String)
    case socketClosed(endpoint: String)
    case serialization(topic: String, reason: String)
    /// The topic does not belong to the payload's topic family (see `BusTopic`).
    case topicPayloadMismatch(topic: String, payload: String)
    case invalidConfiguration(key: String, reason: String)
    case alreadyStarted(service: String)
    case loopThreadFailed(service: String, reason: String)

    public var description: String {
        switch self {
        case .contextCreation(let reason):
            "zmq context creation failed: \(reason)"
        case .contextTermination(let reason):
            "zmq context termination failed: \(reason)"
        case .socketCreation(let kind, let reason):
            "zmq \(kind) socket creation failed: \(reason)"
        case .socketOption(let option, let value, let reason):
            "zmq setsockopt \(option)=\(value) failed: \(reason)"
        case .bind(let endpoint, let reason):
            "bind to \(endpoint) failed: \(reason)"
        case .connect(let endpoint, let reason):
            "connect to \(endpoint) failed: \(reason)"
        case .endpointInUse(let endpoint):
            "endpoint \(endpoint) is in use by a live process"
        case .ipcPath(let path, let reason):
            "ipc path \(path) unusable: \(reason)"
        case .send(let endpoint, let topic, let reason):
            "send of topic \(topic) on \(endpoint) failed: \(reason)"
        case .receive(let endpoint, let reason):
            "receive on \(endpoint) failed: \(reason)"
        case .poll(let reason):
            "zmq_poll failed: \(reason)"
        case .socketClosed(let endpoint):
            "socket for \(endpoint) is already closed"
        case .serialization(let topic, let reason):
            "envelope for topic \(topic) could not be serialised: \(reason)"
        case .topicPayloadMismatch(let topic, let payload):
            "topic \(topic) does not match payload \(payload)"
        case .invalidConfiguration(let key, let reason):
            "bus configuration \(key): \(reason)"
        case .alreadyStarted(let service):
            "bus loop for \(service) was already started"
        case .loopThreadFailed(let service, let reason):
            "bus loop thread for \(service) failed: \(reason)"
        }
    }
}
