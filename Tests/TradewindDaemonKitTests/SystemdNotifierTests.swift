import Glibc
import Testing
import TradewindDaemonKit

/// When the notify protocol and the watchdog are on (the datagrams themselves are checked end to
/// end against a real daemon in Tests/e2e/test_operations.py).
@Suite struct SystemdNotifierTests {
    @Test func withoutNotifySocketNothingIsSentAndNoWatchdogRuns() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "2000000"])
        #expect(!notifier.isActive && notifier.watchdogPingIntervalNs == nil)
        #expect(!notifier.notify("READY=1"))
    }

    @Test func theWatchdogIsPingedAtHalfItsIntervalWhenItIsOurs() {
        let ours = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@tw-test", "WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "42"], pid: 42)
        #expect(ours.isActive && ours.watchdogPingIntervalNs == 1_000_000_000)
        let anyone = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "500000"], pid: 7)
        #expect(anyone.watchdogPingIntervalNs == 250_000_000)
    }

    @Test(arguments: [["WATCHDOG_PID": "43"], ["WATCHDOG_USEC": "0"], ["WATCHDOG_USEC": "soon"], [:]] as [[String: String]])
    func noWatchdogForAnotherProcessOrWithoutAnInterval(extra: [String: String]) {
        var environment = ["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "2000000"]
        environment.merge(extra) { $1 }
        if extra.isEmpty { environment["WATCHDOG_USEC"] = nil }
        #expect(SystemdNotifier(environment: environment, pid: 42).watchdogPingIntervalNs == nil)
    }

    @Test func aSocketThatIsNotThereIsAFailedSendNotACrash() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"])
        #expect(!notifier.notify("READY=1"))
    }
}
