import Foundation
import TestSupport
import Testing
@testable import Fetching

/// The proxy is a loopback server standing in for one: it answers every request itself and
/// forwards nothing, so no test here ever sends a byte to a private or link-local address.
@Suite("Address guard through a proxy")
struct ProxyGuardTests {
    static func standIn(_ handler: @escaping LoopbackServer.Handler = { _ in .text("via the proxy") }) throws -> LoopbackServer {
        try LoopbackServer(handler: handler)
    }

    static func fetcher(through proxy: LoopbackServer, allowPrivateNetworks: Bool, denied: Set<String> = []) -> Fetcher {
        var configuration = FetcherConfiguration(allowPrivateNetworks: allowPrivateNetworks, hostGap: 0,
                                                 proxy: "http://127.0.0.1:\(proxy.port)", obeysRobots: false)
        configuration.deniedAddressesForTesting = denied
        return Fetcher(configuration: configuration)
    }

    @Test("link-local targets are refused before anything reaches the proxy, even with private networks allowed",
          arguments: ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[::ffff:169.254.169.254]/"])
    func linkLocalRefused(url: String) async throws {
        let proxy = try Self.standIn()
        for allow in [false, true] {
            let error = await fetchError(Self.fetcher(through: proxy, allowPrivateNetworks: allow), FetchRequest(url: URL(string: url)!))
            guard case .blockedAddress(_, let reason) = error else {
                Issue.record("\(url) (allow_private_networks = \(allow)): \(String(describing: error))")
                continue
            }
            #expect(reason.contains("link-local"), "\(reason)")
        }
        #expect(proxy.totalRequests == 0, "\(proxy.requests.map(\.target))")
    }

    @Test("private and loopback targets, by address or by name, are refused through the proxy unless allowed")
    func privateRefusedUnlessAllowed() async throws {
        let proxy = try Self.standIn()
        let strict = Self.fetcher(through: proxy, allowPrivateNetworks: false)
        for url in ["http://10.1.2.3/", "http://192.168.0.1/admin", "http://127.0.0.1:9/", "http://localhost:9/"] {
            let error = await fetchError(strict, FetchRequest(url: URL(string: url)!))
            guard case .blockedAddress(_, let reason) = error else {
                Issue.record("\(url): \(String(describing: error))")
                continue
            }
            #expect(reason.contains("allow_private_networks is off"), "\(reason)")
        }
        #expect(proxy.totalRequests == 0, "\(proxy.requests.map(\.target))")

        // Allowed: the request goes to the proxy, which answers for the target.
        let open = Self.fetcher(through: proxy, allowPrivateNetworks: true)
        let page = try await fetchPage(open, FetchRequest(url: URL(string: "http://127.0.0.3:9/page")!))
        #expect(page?.text == "via the proxy")
        #expect(proxy.requests.map(\.target) == ["http://127.0.0.3:9/page"])
    }

    @Test("a name is resolved before the proxy sees it: one that resolves to a denied address is refused")
    func resolvedNameChecked() async throws {
        let proxy = try Self.standIn()
        // The test rule stands loopback in for a forbidden range: localhost resolves to it.
        let fetcher = Self.fetcher(through: proxy, allowPrivateNetworks: true, denied: ["127.0.0.1", "::1"])
        let error = await fetchError(fetcher, FetchRequest(url: URL(string: "http://localhost:9/")!))
        guard case .blockedAddress(_, let reason) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(reason.contains("localhost resolves to") && reason.contains("denied by a test rule"), "\(reason)")
        #expect(proxy.totalRequests == 0)
        let unresolvable = await fetchError(fetcher, FetchRequest(url: URL(string: "http://no-such-host.invalid/")!))
        guard case .dns = unresolvable else {
            Issue.record("a name that does not resolve here is not handed to the proxy: \(String(describing: unresolvable))")
            return
        }
        #expect(proxy.totalRequests == 0)
    }

    @Test("a redirect answered through the proxy towards a link-local address is refused at that hop")
    func redirectThroughProxyRefused() async throws {
        let proxy = try Self.standIn { _ in
            LoopbackResponse(status: 302, headers: [("Location", "http://169.254.169.254/latest/meta-data/")])
        }
        let fetcher = Self.fetcher(through: proxy, allowPrivateNetworks: true)
        let error = await fetchError(fetcher, FetchRequest(url: URL(string: "http://127.0.0.3:9/start")!))
        guard case .blockedAddress = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(proxy.requests.map(\.target) == ["http://127.0.0.3:9/start"], "only the first hop reached the proxy")
    }
}
