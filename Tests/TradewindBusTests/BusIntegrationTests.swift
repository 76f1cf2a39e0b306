import Testing

/// Parent of every suite that runs real ZeroMQ sockets and threads: run one at a time, so that
/// heartbeat staleness (time-based by nature) is not provoked by the other suites' load.
@Suite(.serialized) enum BusIntegrationTests {}
