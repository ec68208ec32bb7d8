import Foundation
import Testing
@testable import Daemon

@Suite("sd_notify")
struct SystemdNotifierTests {
    @Test("READY=1 with a status line reaches a socket given by path")
    func readyOverPathSocket() throws {
        let listener = try NotifyListener(abstract: false)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        #expect(notifier.isEnabled)
        notifier.ready(status: "3 sources, 0 failing\nnext run in 5s")
        #expect(listener.receive() == "READY=1\nSTATUS=3 sources, 0 failing next run in 5s")
    }

    @Test("an address starting with @ names an abstract socket")
    func abstractSocket() throws {
        let listener = try NotifyListener(abstract: true)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        notifier.watchdog()
        notifier.stopping()
        #expect(listener.receive() == "WATCHDOG=1")
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test("RELOADING=1 carries the monotonic time in microseconds")
    func reloadingCarriesMonotonicTime() throws {
        let listener = try NotifyListener(abstract: true)
        let before = UInt64(MonotonicClock.now() * 1_000_000)
        SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address]).reloading()
        let message = try #require(listener.receive())
        let lines = message.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let usec = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(usec >= before && usec < before + 5_000_000)
    }

    @Test("without NOTIFY_SOCKET nothing is sent and nothing fails")
    func disabledWithoutSocket() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(!notifier.send("READY=1"))
        #expect(notifier.watchdogPingInterval == nil)
    }

    @Test("the watchdog is pinged at half of WATCHDOG_USEC, only when it is meant for this process")
    func watchdogInterval() {
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"], pid: 42).watchdogPingInterval == 15)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"], pid: 42).watchdogPingInterval == 15)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"], pid: 42).watchdogPingInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "zero"], pid: 42).watchdogPingInterval == nil)
    }

    @Test("a relative socket path is ignored rather than sent to")
    func relativePathIgnored() {
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/notify"]).isEnabled)
    }

    @Test("a listener that stops reading never blocks the sender: messages beyond its queue are dropped")
    func fullQueueDoesNotBlock() async throws {
        let listener = try NotifyListener(abstract: true)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        // A unix datagram queue holds about 10 messages (net.unix.max_dgram_qlen); a blocking
        // send would hang on the 11th. The sends run on a thread so a regression fails the test
        // at the deadline instead of hanging it.
        let results = Locked<[Bool]>([])
        let sender = Thread {
            for i in 0..<100 { let sent = notifier.send("STATUS=message \(i)"); results.withLock { $0.append(sent) } }
        }
        sender.start()
        let deadline = Date().addingTimeInterval(20)
        while results.withLock({ $0.count }) < 100 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let sent = results.withLock { $0 }
        #expect(sent.count == 100, "the sender blocked after \(sent.count) messages")
        #expect(sent.first == true)
        #expect(sent.contains(false), "some messages were dropped once the queue was full")
        #expect(listener.receive() == "STATUS=message 0")
    }
}
