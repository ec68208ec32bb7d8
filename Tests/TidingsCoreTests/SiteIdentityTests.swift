import Foundation
import Testing
import TidingsCore

@Suite("Registrable domains and same site (Public Suffix List through libpsl)")
struct SiteIdentityTests {
    @Test("registrable domains follow the Public Suffix List", arguments: [
        ("news.sina.example.com.cn", "example.com.cn"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("m.xinhe-news.example.cn", "example.cn"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.gov.cn", "www.gov.cn"),                       // gov.cn is a suffix
        ("www.mofcom.gov.cn", "mofcom.gov.cn"),
        ("alice.github.io", "alice.github.io"),             // private section: github.io is a suffix
        ("github.io", "github.io"),                         // a suffix itself is its own site
        ("co.uk", "co.uk"),
        ("a.b.city.kawasaki.jp", "city.kawasaki.jp"),       // *.kawasaki.jp with the !city exception
        ("x.y.kawasaki.jp", "x.y.kawasaki.jp"),
        ("WWW.Example.COM.", "example.com"),                // case and the root dot do not matter
        ("localhost", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("192.168.10.20", "192.168.10.20"),
        ("::1", "::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("www.xn--fsqu00a.xn--fiqs8s", "xn--fsqu00a.xn--fiqs8s"),  // 例子.中国 as URL.host gives it
        ("www.例子.中国", "xn--fsqu00a.xn--fiqs8s"),                // the same name in Unicode
        ("news.münchen.de", "xn--mnchen-3ya.de"),
        ("", ""),
    ])
    func domains(host: String, domain: String) {
        #expect(SiteIdentity.registrableDomain(host) == domain)
    }

    @Test("same site: subdomains of one registration, never two registrations under one suffix", arguments: [
        ("https://news.bbc.co.uk/a", "https://www.bbc.co.uk/b", true),
        ("https://www.example.com.cn/", "http://news.example.com.cn/x", true),
        ("https://alice.github.io/post", "https://alice.github.io/", true),
        ("https://alice.github.io/post", "https://bob.github.io/", false),
        ("https://www.example.co.uk/", "https://www.other.co.uk/", false),
        ("https://example.com/", "https://example.org/", false),
        ("http://127.0.0.1:8080/a", "http://127.0.0.1:9090/b", true),
        ("http://127.0.0.1/", "http://127.0.0.2/", false),
        ("http://[::1]:8080/", "http://[::1]/", true),
        ("https://www.例子.中国/", "https://news.xn--fsqu00a.xn--fiqs8s/", true),
        ("file:///tmp/a.html", "file:///srv/b.html", true),
        ("file:///tmp/a.html", "https://example.com/", false),
        ("mailto:a@example.com", "https://example.com/", false),
    ])
    func sameSite(a: String, b: String, same: Bool) throws {
        let first = try #require(URL(string: a)), second = try #require(URL(string: b))
        #expect(SiteIdentity.isSameSite(first, second) == same)
        #expect(SiteIdentity.isSameSite(second, first) == same)
    }

    @Test("hostile host names give an answer, never a crash", arguments: [
        "..", ".", "a..b.com", String(repeating: "a.", count: 5000) + "com", "%00.example.com", "ex\u{0}ample.com",
        String(repeating: "x", count: 70_000) + ".com", "-.com", "*.example.com", "example.com..",
    ])
    func hostile(host: String) {
        _ = SiteIdentity.registrableDomain(host)
    }
}
