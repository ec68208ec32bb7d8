import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Decides which addresses the fetcher may connect to. It runs inside curl's
/// open-socket callback, so it sees the address after DNS and on every redirect hop
/// (a check of the URL before the request is bypassed by redirects and DNS rebinding).
struct AddressGuard: Sendable {
    /// Opens loopback and the private ranges (10/8, 172.16/12, 192.168/16, IPv6 ULA) only.
    var allowPrivateNetworks: Bool
    /// Addresses (as text) refused whatever their category: lets tests stand a loopback
    /// address in for a forbidden one, so that nothing is ever sent to a private network.
    var deniedForTesting: Set<String> = []

    /// What an address is, for the guard.
    enum Category: Equatable, CustomStringConvertible {
        case publicAddress
        case loopback
        case privateNetwork
        case linkLocal
        case sharedAddressSpace
        case multicast
        case unspecified
        case reserved

        var description: String {
            switch self {
            case .publicAddress: return "a public address"
            case .loopback: return "a loopback address"
            case .privateNetwork: return "a private-network address"
            case .linkLocal: return "a link-local address, where cloud metadata services live"
            case .sharedAddressSpace: return "in the carrier-grade NAT range 100.64.0.0/10"
            case .multicast: return "a multicast address"
            case .unspecified: return "an unspecified address"
            case .reserved: return "in a reserved range"
            }
        }
    }

    /// nil when a connection to `address` may go ahead, else why not.
    func refusal(_ category: Category, address: String) -> String? {
        if deniedForTesting.contains(address) { return "\(address) is denied by a test rule" }
        return refusal(category).map { "\(address) is \($0)" }
    }

    /// nil when the connection may go ahead, else why not.
    func refusal(_ category: Category) -> String? {
        switch category {
        case .publicAddress: return nil
        case .loopback, .privateNetwork:
            return allowPrivateNetworks ? nil : "\(category) and allow_private_networks is off"
        case .linkLocal, .sharedAddressSpace, .multicast, .unspecified, .reserved:
            return "\(category)"
        }
    }

    /// Classifies an IPv4 address given as its four bytes in network order.
    static func classify(ipv4 b: [UInt8]) -> Category {
        switch (b[0], b[1]) {
        case (0, _): return .unspecified                       // 0.0.0.0/8 "this network"
        case (10, _): return .privateNetwork                   // RFC 1918
        case (100, 64...127): return .sharedAddressSpace       // RFC 6598
        case (127, _): return .loopback
        case (169, 254): return .linkLocal                     // incl. 169.254.169.254
        case (172, 16...31): return .privateNetwork            // RFC 1918
        case (192, 168): return .privateNetwork                // RFC 1918
        case (192, 0) where b[2] == 0: return .reserved        // IETF protocol assignments
        case (198, 18...19): return .reserved                  // benchmarking
        case (224...239, _): return .multicast
        case (240...255, _): return .reserved                  // incl. broadcast
        default: return .publicAddress
        }
    }

    /// Classifies an IPv6 address given as its sixteen bytes; embedded IPv4 forms
    /// (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address they carry.
    static func classify(ipv6 b: [UInt8]) -> Category {
        let firstTen = b[0..<10].allSatisfy { $0 == 0 }
        if firstTen && b[10] == 0xFF && b[11] == 0xFF { return classify(ipv4: Array(b[12..<16])) }   // ::ffff:a.b.c.d
        if b[0..<15].allSatisfy({ $0 == 0 }) {
            return b[15] == 1 ? .loopback : (b[15] == 0 ? .unspecified : .reserved)
        }
        if firstTen && b[10] == 0 && b[11] == 0 { return classify(ipv4: Array(b[12..<16])) }         // ::a.b.c.d
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B { return classify(ipv4: Array(b[12..<16])) } // 64:ff9b::/96
        if b[0] == 0x20, b[1] == 0x02 { return classify(ipv4: Array(b[2..<6])) }                    // 2002::/16 6to4
        if b[0] == 0xFF { return .multicast }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return .linkLocal }                              // fe80::/10
        if b[0] == 0xFE && (b[1] & 0xC0) == 0xC0 { return .privateNetwork }                         // fec0::/10 site-local
        if (b[0] & 0xFE) == 0xFC { return .privateNetwork }                                         // fc00::/7 ULA
        return .publicAddress
    }

    /// Reads a socket address; nil for families other than IPv4 and IPv6.
    static func classify(_ address: UnsafePointer<sockaddr>) -> (Category, String)? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                var raw = sin.pointee.sin_addr
                let bytes = withUnsafeBytes(of: &raw) { Array($0) }
                return (classify(ipv4: bytes), bytes.map(String.init).joined(separator: "."))
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                var raw = sin6.pointee.sin6_addr
                let bytes = withUnsafeBytes(of: &raw) { Array($0) }
                return (classify(ipv6: bytes), text(ipv6: bytes))
            }
        default:
            return nil
        }
    }

    static func text(ipv6 bytes: [UInt8]) -> String {
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "IPv6" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
