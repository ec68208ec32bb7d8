import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The DevTools protocol over `--remote-debugging-pipe`: JSON messages, each ended by a NUL
/// byte, written to the browser's fd 3 and read from its fd 4 (one Unix socket here, so that a
/// write to a dead browser returns EPIPE instead of raising SIGPIPE). A thread reads; answers
/// resume their callers, events go to the handler of their session.
final class DevToolsPipe: @unchecked Sendable {
    // @unchecked Sendable: `pending`, `handlers`, `nextID` and `isClosed` are guarded by `lock`;
    // writes are whole messages under `writeLock`; `socket` is only closed by `close()` after the reader ends.
    typealias Handler = @Sendable (DevToolsMessage) -> Void

    /// A message larger than this is a broken or hostile browser, not an answer.
    static let maximumMessageBytes = 256 << 20

    private let socket: Int32
    private let lock = NSLock()
    private let writeLock = NSLock()
    private var nextID = 0
    private var pending: [Int: CheckedContinuation<DevToolsMessage, any Error>] = [:]
    private var handlers: [String: Handler] = [:]
    private var isClosed = false
    private let onClose: @Sendable () -> Void

    init(socket: Int32, onClose: @escaping @Sendable () -> Void) {
        self.socket = socket
        self.onClose = onClose
        let thread = Thread { [self] in readLoop() }
        thread.name = "tidings-devtools"
        thread.start()
    }

    var closed: Bool { lock.withLock { isClosed } }

    /// Sends a command and waits for its answer; throws `DevToolsFailure`.
    func call(_ method: String, _ params: [String: any Sendable] = [:], session: String? = nil,
              timeout: TimeInterval) async throws -> DevToolsMessage {
        let id = lock.withLock { nextID += 1; return nextID }
        let answer = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<DevToolsMessage, any Error>) in
            let registered = lock.withLock { () -> Bool in
                guard !isClosed else { return false }
                pending[id] = continuation
                return true
            }
            guard registered else { return continuation.resume(throwing: DevToolsFailure.closed) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
                lock.withLock { pending.removeValue(forKey: id) }?.resume(throwing: DevToolsFailure.timedOut(method))
            }
            if !write(id: id, method: method, params: params, session: session) {
                lock.withLock { pending.removeValue(forKey: id) }?.resume(throwing: DevToolsFailure.closed)
            }
        }
        if let error = answer.errorMessage { throw DevToolsFailure.refused(method, error) }
        return answer
    }

    /// Sends a command whose answer nobody waits for (answers to paused requests).
    func send(_ method: String, _ params: [String: any Sendable], session: String?) {
        let id = lock.withLock { nextID += 1; return nextID }
        _ = write(id: id, method: method, params: params, session: session)
    }

    func subscribe(session: String, _ handler: @escaping Handler) { lock.withLock { handlers[session] = handler } }
    func unsubscribe(session: String) { _ = lock.withLock { handlers.removeValue(forKey: session) } }

    private func write(id: Int, method: String, params: [String: any Sendable], session: String?) -> Bool {
        var message: [String: Any] = ["id": id, "method": method, "params": params as [String: Any]]
        if let session { message["sessionId"] = session }
        guard var bytes = try? JSONSerialization.data(withJSONObject: message) else { return false }
        bytes.append(0)
        return writeLock.withLock {
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let sent = Glibc.send(socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if sent < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += sent
                }
                return true
            }
        }
    }

    private func readLoop() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        reading: while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var start = buffer.count
            buffer.append(contentsOf: chunk[0..<count])
            var consumed = 0
            while let end = buffer[start...].firstIndex(of: 0) {
                if let message = DevToolsMessage(json: buffer[consumed..<end]) { deliver(message) }
                consumed = end + 1
                start = consumed
            }
            if consumed > 0 { buffer.removeFirst(consumed) }
            if buffer.count > Self.maximumMessageBytes { break reading }
        }
        let waiting = lock.withLock { () -> [CheckedContinuation<DevToolsMessage, any Error>] in
            isClosed = true
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        waiting.forEach { $0.resume(throwing: DevToolsFailure.closed) }
        Glibc.close(socket)
        onClose()
    }

    private func deliver(_ message: DevToolsMessage) {
        if let id = message.id {
            lock.withLock { pending.removeValue(forKey: id) }?.resume(returning: message)
        } else if let session = message.sessionID {
            lock.withLock { handlers[session] }?(message)
        }
    }
}

extension DevToolsPipe {
    /// Ends the reader: every waiting call fails with `.closed`.
    func hangUp() { Glibc.shutdown(socket, Int32(SHUT_RDWR)) }
}
