import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The address guard for requests that go through a proxy. curl then connects to the proxy
/// only, so its open-socket guard never sees the target; instead the target host is resolved
/// here and every address it resolves to must pass the guard before the request is handed
/// to the proxy (link-local always refused, private ranges unless allowed). A name that does
/// not resolve here is refused too: nobody could check where the proxy would connect.
/// (The proxy resolves the name again; a name whose answers change between the two lookups
/// is the proxy's to filter.)
enum ProxyTargetCheck {
    /// getaddrinfo blocks: it runs on threads of its own, never on Swift's cooperative pool.
    static let resolver = DispatchQueue(label: "tidings.proxy-target-dns", attributes: .concurrent)

    static func check(_ url: URL, addressGuard: AddressGuard) async throws(FetchError) {
        guard var host = url.host, !host.isEmpty else { throw .other(url, "the URL has no host") }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let name = host
        let outcome: Result<[(AddressGuard.Category, String)], FetchError> = await withCheckedContinuation { continuation in
            resolver.async { continuation.resume(returning: resolve(name, for: url)) }
        }
        let addresses = try outcome.get()
        for (category, text) in addresses {
            if let reason = addressGuard.refusal(category, address: text) {
                throw .blockedAddress(url, "\(name) resolves to \(reason); not handed to the proxy")
            }
        }
    }

    /// Every IPv4 and IPv6 address of `host` (a literal address gives itself).
    static func resolve(_ host: String, for url: URL) -> Result<[(AddressGuard.Category, String)], FetchError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            let cause = String(cString: gai_strerror(status))
            return .failure(.dns(url, "\(cause); with a proxy the host must resolve here too, so its address can be checked"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [(AddressGuard.Category, String)] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = current.pointee.ai_addr, let classified = AddressGuard.classify(address) {
                addresses.append(classified)
            }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else { return .failure(.dns(url, "no IPv4 or IPv6 address")) }
        return .success(addresses)
    }
}
