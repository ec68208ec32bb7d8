import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// #16: the renderer's tests run where nothing but loopback exists. `make test` runs this
/// module through scripts/loopback-only, which sets TIDINGS_LOOPBACK_NETNS; this checks that
/// the namespace really holds nothing else, so a page's request that slipped past every
/// guard could still reach no other machine.
@Suite("The renderer tests' network namespace")
struct LoopbackNamespaceTests {
    static let inNamespace = ProcessInfo.processInfo.environment["TIDINGS_LOOPBACK_NETNS"] != nil

    @Test("under scripts/loopback-only the only interface is loopback, it is up, and no other address is reachable",
          .enabled(if: inNamespace, "not run through scripts/loopback-only (make test runs this module there)"))
    func onlyLoopback() throws {
        var list: UnsafeMutablePointer<ifaddrs>?
        #expect(getifaddrs(&list) == 0)
        defer { freeifaddrs(list) }
        var interfaces: [String: UInt32] = [:]
        var cursor = list
        while let entry = cursor {
            interfaces[String(cString: entry.pointee.ifa_name)] = entry.pointee.ifa_flags
            cursor = entry.pointee.ifa_next
        }
        #expect(Array(interfaces.keys) == ["lo"])
        #expect((interfaces["lo"] ?? 0) & UInt32(IFF_UP) != 0)

        // connect() on a UDP socket only looks up a route, it sends nothing: documentation
        // addresses (RFC 5737, RFC 3849) must have none, loopback ones must.
        #expect(routeError(AF_INET, "192.0.2.1") == ENETUNREACH)
        #expect(routeError(AF_INET6, "2001:db8::1") == ENETUNREACH)
        #expect(routeError(AF_INET, "127.0.0.2") == 0)
        #expect(routeError(AF_INET6, "::1") == 0)
    }

    /// The errno of connecting a UDP socket to `address` port 9, 0 when a route exists.
    private func routeError(_ family: Int32, _ address: String) -> Int32 {
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let result: Int32
        if family == AF_INET {
            var target = sockaddr_in()
            target.sin_family = sa_family_t(AF_INET)
            target.sin_port = UInt16(9).bigEndian
            inet_pton(AF_INET, address, &target.sin_addr)
            result = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } else {
            var target = sockaddr_in6()
            target.sin6_family = sa_family_t(AF_INET6)
            target.sin6_port = UInt16(9).bigEndian
            inet_pton(AF_INET6, address, &target.sin6_addr)
            result = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        return result == 0 ? 0 : errno
    }
}
