import Foundation
import Testing
@testable import Fetching

@Suite("Address guard (SSRF)")
struct AddressGuardTests {
    static func ipv4(_ text: String) -> [UInt8] {
        var address = in_addr()
        _ = inet_pton(AF_INET, text, &address)
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    static func ipv6(_ text: String) -> [UInt8] {
        var address = in6_addr()
        _ = inet_pton(AF_INET6, text, &address)
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    static func category(_ text: String) -> AddressGuard.Category {
        text.contains(":") ? AddressGuard.classify(ipv6: ipv6(text)) : AddressGuard.classify(ipv4: ipv4(text))
    }

    @Test("addresses are classified", arguments: [
        ("93.184.216.34", AddressGuard.Category.publicAddress),
        ("127.0.0.1", .loopback), ("127.8.9.1", .loopback),
        ("10.1.2.3", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("172.32.0.1", .publicAddress), ("192.168.1.1", .privateNetwork),
        ("169.254.169.254", .linkLocal), ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("100.128.0.1", .publicAddress), ("224.0.0.1", .multicast), ("0.0.0.0", .unspecified),
        ("255.255.255.255", .reserved),
        ("2606:2800:220:1:248:1893:25c8:1946", .publicAddress), ("::1", .loopback), ("::", .unspecified),
        ("fe80::1", .linkLocal), ("fd12:3456::1", .privateNetwork), ("ff02::1", .multicast),
        ("::ffff:169.254.169.254", .linkLocal), ("::ffff:127.0.0.1", .loopback), ("::ffff:8.8.8.8", .publicAddress),
        ("64:ff9b::a9fe:a9fe", .linkLocal), ("2002:a9fe:a9fe::1", .linkLocal),
    ])
    func classification(address: String, expected: AddressGuard.Category) {
        #expect(Self.category(address) == expected)
    }

    @Test("allow_private_networks opens loopback and private ranges only; link-local stays refused")
    func privateSwitch() {
        let strict = AddressGuard(allowPrivateNetworks: false)
        let open = AddressGuard(allowPrivateNetworks: true)
        #expect(strict.refusal(.loopback) != nil)
        #expect(strict.refusal(.privateNetwork) != nil)
        #expect(open.refusal(.loopback) == nil)
        #expect(open.refusal(.privateNetwork) == nil)
        for category: AddressGuard.Category in [.linkLocal, .sharedAddressSpace, .multicast, .unspecified, .reserved] {
            #expect(open.refusal(category) != nil, "\(category)")
        }
        #expect(strict.refusal(.publicAddress) == nil)
    }
}
