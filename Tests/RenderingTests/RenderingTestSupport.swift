import Foundation
@testable import Fetching
@testable import Rendering
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Chromium is optional at run time; CI installs it. Without it these tests are skipped, saying why.
let chromiumInstalled = FileManager.default.isExecutableFile(atPath: RendererConfiguration.defaultExecutable)
let chromiumMissingNote: Comment = "Chromium is not installed (\(RendererConfiguration.defaultExecutable)): apt-get install chromium"

/// The loopback address that stands for a forbidden one (a private or metadata address):
/// the test fetcher's deny rule refuses it, so nothing is ever sent to a real private network.
let forbiddenAddress = "127.0.0.2"

/// A renderer whose Chromium runs in a network namespace of its own (nothing but a down
/// loopback): anything the browser tried to reach on its own would fail, so whatever a page
/// shows came through the fetcher.
/// The budget is generous: the tests share two cores with compilers, and a page is done when
/// its network goes quiet anyway.
func isolatedRenderer(budget: TimeInterval = 30, commandTimeout: TimeInterval = 30) -> Renderer {
    Renderer(configuration: RendererConfiguration(concurrency: 2, budget: budget, commandTimeout: commandTimeout,
                                                  isolation: .required))
}

/// A fetcher for loopback tests: private networks allowed, the stand-in forbidden address denied.
func testFetcher(hostGap: TimeInterval = 0, obeysRobots: Bool = false) -> Fetcher {
    var configuration = FetcherConfiguration(allowPrivateNetworks: true, hostGap: hostGap, obeysRobots: obeysRobots)
    configuration.deniedAddressesForTesting = [forbiddenAddress]
    return Fetcher(configuration: configuration)
}

func fixture(_ name: String) -> String {
    let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    return try! String(contentsOf: url, encoding: .utf8)
}

/// The site of the fixtures on the loopback server: listing, article, their scripts and data.
func gazetteHandler(extra: [String: LoopbackResponse] = [:]) -> LoopbackServer.Handler {
    { request in
        if let response = extra[request.path] { return response }
        switch request.path {
        case "/", "/latest": return .text(fixture("listing.html"))
        case "/static/app.js": return .text(fixture("app.js"), contentType: "text/javascript")
        case "/static/article.js": return .text(fixture("article.js"), contentType: "text/javascript")
        case "/static/site.css": return .text("body { font-family: serif; }", contentType: "text/css")
        case "/api/stories.json": return .text(fixture("stories.json"), contentType: "application/json")
        case "/api/story/ferry-timetable-changes.json": return .text(fixture("story.json"), contentType: "application/json")
        case "/news/2026/12/01/ferry-timetable-changes.html": return .text(fixture("article.html"))
        default: return .notFound
        }
    }
}

/// A listener on the forbidden stand-in address (TCP and UDP on one port number) that counts
/// every connection and datagram: the proof that nothing reached it.
final class Tripwire: @unchecked Sendable {
    // @unchecked Sendable: `hits` and `stopped` are guarded by `lock`; each socket is closed once, by its thread.
    let port: Int
    private let tcp: Int32
    private let udp: Int32
    private let lock = NSLock()
    private var hits = 0
    private var stopped = false

    init() throws {
        let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.tcp = tcp
        self.udp = udp
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(forbiddenAddress)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard withUnsafePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(tcp, $0, length) } }) == 0,
              listen(tcp, 16) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        var bound = length
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(tcp, $0, &bound) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        guard withUnsafePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(udp, $0, length) } }) == 0 else {
            throw POSIXError(.EADDRINUSE)
        }
        self.port = port
        for (fd, isStream) in [(tcp, true), (udp, false)] {
            Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 2048)
                // The thread closes its own socket when it ends (see `stop`).
                defer { close(fd) }
                while true {
                    if isStream {
                        let client = accept(fd, nil, nil)
                        guard client >= 0 else { return }
                        close(client)
                    } else {
                        guard recv(fd, &buffer, buffer.count, 0) >= 0 else { return }
                    }
                    guard !lock.withLock({ stopped }) else { return }
                    lock.withLock { hits += 1 }
                }
            }.start()
        }
    }

    var count: Int { lock.withLock { hits } }
    var hostPort: String { "\(forbiddenAddress):\(port)" }

    /// Shuts the sockets down, which wakes their threads; each thread closes its socket as it
    /// ends. Closing them here would free the descriptor numbers while a thread may still call
    /// accept or recv on them, on a socket another test has opened since.
    func stop() {
        lock.withLock { stopped = true }
        shutdown(tcp, Int32(SHUT_RDWR))
        shutdown(udp, Int32(SHUT_RDWR))
    }
}

/// Waits (without spinning) until `condition` holds or `seconds` pass.
func eventually(_ seconds: TimeInterval = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return true
}

extension RenderedPage {
    var html: String {
        if case .page(let page) = outcome { return page.text }
        return ""
    }
}
