import Foundation
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Daemon

@Suite("Log lines on stderr and in the journal")
struct StderrLogHandlerTests {
    @Test("JOURNAL_STREAM is honoured only when it names the file stderr is open on (systemd.exec(5))")
    func detection() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-log-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: nil)
        defer { unlink(path) }
        let fd = open(path, O_WRONLY)
        defer { close(fd) }
        var info = stat()
        #expect(fstat(fd, &info) == 0)
        let matching = "\(info.st_dev):\(info.st_ino)"
        #expect(StderrLogHandler.format(environment: ["JOURNAL_STREAM": matching], descriptor: fd) == .journal)
        #expect(StderrLogHandler.format(environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino + 1)"], descriptor: fd) == .plain)
        #expect(StderrLogHandler.format(environment: ["JOURNAL_STREAM": "garbage"], descriptor: fd) == .plain)
        #expect(StderrLogHandler.format(environment: [:], descriptor: fd) == .plain)
    }

    @Test("each level gets its syslog priority", arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func priorities(level: Logger.Level, priority: Int) {
        let handler = StderrLogHandler(format: .journal)
        #expect(handler.line(level: level, message: "m", metadata: [:], date: Date()) == "<\(priority)>m\n")
    }

    @Test("a journal line has no timestamp, sorted metadata, and outside text cannot start a second entry")
    func journalLine() {
        let handler = StderrLogHandler(format: .journal)
        let line = handler.line(level: .warning, message: "refresh failed",
                                metadata: ["source.id": "news", "cause": "HTTP 404\n<3>forged entry"], date: Date(timeIntervalSince1970: 0))
        #expect(line == "<4>refresh failed cause=\"HTTP 404 <3>forged entry\" source.id=news\n")
    }

    @Test("a plain line starts with the UTC time and the level")
    func plainLine() {
        let handler = StderrLogHandler(format: .plain)
        let line = handler.line(level: .info, message: "stopped", metadata: [:], date: Date(timeIntervalSince1970: 86400))
        #expect(line == "1970-01-02T00:00:00Z info stopped\n")
    }

    @Test("a logger writes through the handler at its level and above only")
    func levels() {
        let lines = LockedLines()
        var logger = Logger(label: "test") { _ in StderrLogHandler(format: .journal, logLevel: .warning, write: lines.append) }
        logger.logLevel = .warning
        logger.info("not shown")
        logger.warning("shown", metadata: ["k": "v"])
        #expect(lines.all == ["<4>shown k=v\n"])
    }
}

final class LockedLines: @unchecked Sendable {
    // @unchecked Sendable: `lines` is guarded by `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    var append: @Sendable (String) -> Void { { [self] line in lock.withLock { lines.append(line) } } }
    var all: [String] { lock.withLock { lines } }
}
