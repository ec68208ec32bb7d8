import Foundation
import Logging
import TidingsCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes log lines to standard error, one `write(2)` per line. When stderr is the journal
/// (systemd sets `$JOURNAL_STREAM` to its device and inode), each line starts with its
/// syslog priority in angle brackets (`<4>` for a warning, sd-daemon(3)) and carries no
/// timestamp, because the journal adds its own and filters on the priority
/// (`journalctl -p warning`). Elsewhere a line starts with an RFC 3339 time and the level.
public struct StderrLogHandler: LogHandler {
    public enum Format: Sendable, Equatable {
        /// `<6>refreshed source.id=news articles.new=3`
        case journal
        /// `2025-06-01T08:00:00Z info refreshed source.id=news articles.new=3`
        case plain
    }

    public var format: Format
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let write: @Sendable (String) -> Void

    public init(format: Format, logLevel: Logger.Level = .info, write: @escaping @Sendable (String) -> Void = Self.writeToStandardError) {
        self.format = format
        self.logLevel = logLevel
        self.write = write
    }

    /// `.journal` when `$JOURNAL_STREAM` names the file standard error is open on (checked
    /// as systemd.exec(5) advises, so a redirected stderr gets plain lines), else `.plain`.
    public static func format(environment: [String: String] = ProcessInfo.processInfo.environment,
                              descriptor: Int32 = STDERR_FILENO) -> Format {
        guard let stream = environment["JOURNAL_STREAM"] else { return .plain }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return .plain }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .plain }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode ? .journal : .plain
    }

    /// syslog(3) priorities: swift-log's `trace` and `debug` are both LOG_DEBUG.
    public static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        write(line(level: event.level, message: event.message.description, metadata: all, date: Date()))
    }

    /// One line, newline included. Messages and values may carry text from outside (URLs,
    /// server messages): line breaks and control characters become spaces, so one event is
    /// always one journal entry.
    func line(level: Logger.Level, message: String, metadata: Logger.Metadata, date: Date) -> String {
        var text: String
        switch format {
        case .journal: text = "<\(Self.syslogPriority(level))>"
        case .plain: text = Timestamp(date: date, offsetSeconds: 0).rfc3339 + " " + level.rawValue + " "
        }
        text += Self.oneLine(message)
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            text += " " + Self.oneLine(key) + "=" + Self.quoted(Self.oneLine("\(value)"))
        }
        return text + "\n"
    }

    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// Values with spaces are quoted so `key=value` pairs stay readable and parseable.
    static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(" ") || value.contains("\"") else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    public static let writeToStandardError: @Sendable (String) -> Void = { line in
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
        }
    }
}
