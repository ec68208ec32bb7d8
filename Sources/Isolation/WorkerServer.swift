import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The worker's side (`tidings worker`): requests from stdin, answers to stdout, one at a
/// time, until stdin ends. Nothing else may write to stdout.
public enum WorkerServer {
    /// The first frame a worker writes, once it is ready: the protocol it speaks. A worker
    /// from another build of Tidings (after an upgrade) is told apart before it is used.
    static let greeting = Array("tidings-worker 1".utf8)

    public static func serve(input: Int32 = 0, output: Int32 = 1) -> Int32 {
        let hooks = WorkerTestHooks(environment: ProcessInfo.processInfo.environment)
        var hello = WireWriter()
        hello.string(String(decoding: greeting, as: UTF8.self))
        guard let frame = hello.frame(), writeAll(output, frame) else { return 0 }
        while let payload = readFrame(input) {
            let response: WorkerResponse
            do {
                let request = try WorkerRequest.decoded(payload)
                hooks.apply(to: request)
                response = PageReading.answer(request)
            } catch {
                response = .refused("\(error)")
            }
            let frame = response.encoded() ?? WorkerResponse.refused("the answer is larger than a frame").encoded()
            guard let frame, writeAll(output, frame) else { break }
        }
        return 0
    }

    static func readFrame(_ descriptor: Int32) -> [UInt8]? {
        guard let header = readExactly(descriptor, 4) else { return nil }
        let length = Int(UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24)
        guard length <= WorkerProcess.maximumFrame else { return nil }
        return readExactly(descriptor, length)
    }

    private static func readExactly(_ descriptor: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let complete = bytes.withUnsafeMutableBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < count {
                let got = read(descriptor, base + offset, count - offset)
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { return false }
                offset += got
            }
            return true
        }
        return complete ? bytes : nil
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }
}

/// Test-only hooks, read from the worker's environment: a page containing the text of
/// TIDINGS_WORKER_TEST_TRAP makes the worker trap, one containing TIDINGS_WORKER_TEST_HANG
/// makes it hang; fetched bytes (to decode, or robots.txt) containing
/// TIDINGS_WORKER_TEST_TRAP_BYTES make it trap while decoding. They stand in for a future
/// parser bug; nothing sets them outside tests.
struct WorkerTestHooks {
    var trapMarker: String?
    var hangMarker: String?
    var bytesTrapMarker: String?

    init(environment: [String: String]) {
        trapMarker = environment["TIDINGS_WORKER_TEST_TRAP"].flatMap { $0.isEmpty ? nil : $0 }
        hangMarker = environment["TIDINGS_WORKER_TEST_HANG"].flatMap { $0.isEmpty ? nil : $0 }
        bytesTrapMarker = environment["TIDINGS_WORKER_TEST_TRAP_BYTES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func apply(to request: WorkerRequest) {
        guard trapMarker != nil || hangMarker != nil || bytesTrapMarker != nil else { return }
        let text: String
        switch request {
        case .article(let page, _), .links(let page, _, _, _), .evidence(let page, _):
            // An article page fetched undecoded carries its bytes: both markers count there.
            let body = page.undecodedBody.map { String(decoding: $0, as: UTF8.self) } ?? ""
            if let bytesTrapMarker, body.contains(bytesTrapMarker) { fatalError("test hook: trapping on the marker bytes") }
            text = page.text + body
        case .sitemaps(let robots, _): text = robots
        case .body(let bytes, _, _, _), .robots(let bytes, _):
            if let bytesTrapMarker, String(decoding: bytes, as: UTF8.self).contains(bytesTrapMarker) {
                fatalError("test hook: trapping on the marker bytes")
            }
            return
        }
        if let trapMarker, text.contains(trapMarker) { fatalError("test hook: trapping on the marker page") }
        if let hangMarker, text.contains(hangMarker) { while true { sleep(3600) } }
    }
}
