import Testing

/// Parent of every suite that runs real ZeroMQ sockets and threads: run one at a time so the
/// timing assertions (heartbeat cadence, prompt stop) hold on a small machine.
@Suite(.serialized) enum BusIntegrationTests {}
