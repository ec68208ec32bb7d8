import Foundation
import TidingsCore

/// Options of the Fetcher: identity, limits and politeness. One value per process.
public struct FetcherConfiguration: Sendable, Hashable {
    public static let defaultUserAgent = "Tidings/\(TidingsVersion.current) (+https://github.com/tidings-feeds/tidings)"

    public var userAgent: String
    /// Allow loopback and private ranges (tests, intranets). Link-local stays refused.
    public var allowPrivateNetworks: Bool
    /// Decoded-body cap in bytes, counted after decompression.
    public var maxBodyBytes: Int
    public var connectTimeout: TimeInterval
    public var totalTimeout: TimeInterval
    /// A transfer slower than `lowSpeedLimit` bytes per second for `lowSpeedTime` seconds is aborted.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Int
    public var maxRedirects: Int
    public var globalConcurrency: Int
    public var perHostConcurrency: Int
    /// Minimum pause between the starts of two requests to the same host, in seconds
    /// (a request's `hostGap` overrides it for that request).
    public var hostGap: TimeInterval
    /// The only proxy used (environment variables are ignored). The proxy's own address may
    /// be anything (it is usually on loopback or the local network); each target host is
    /// resolved and checked against the address guard before the request goes to the proxy.
    public var proxy: String?
    /// A PEM file of certificate authorities trusted besides the system's directory of them.
    public var caFile: String?
    /// Ask robots.txt before fetching (a request can also opt out on its own).
    public var obeysRobots: Bool
    /// The product token matched against robots.txt `User-agent` lines; nil takes the
    /// User-Agent up to its first `/` ("Tidings").
    public var robotsProductToken: String?

    public init(userAgent: String = FetcherConfiguration.defaultUserAgent, allowPrivateNetworks: Bool = false,
                maxBodyBytes: Int = 10 << 20, connectTimeout: TimeInterval = 10, totalTimeout: TimeInterval = 30,
                maxRedirects: Int = 5, globalConcurrency: Int = 16, perHostConcurrency: Int = 1,
                hostGap: TimeInterval = 1, proxy: String? = nil,
                lowSpeedLimit: Int = 100, lowSpeedTime: Int = 15,
                obeysRobots: Bool = true, robotsProductToken: String? = nil) {
        self.userAgent = userAgent
        self.allowPrivateNetworks = allowPrivateNetworks
        self.maxBodyBytes = maxBodyBytes
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxRedirects = maxRedirects
        self.globalConcurrency = globalConcurrency
        self.perHostConcurrency = perHostConcurrency
        self.hostGap = hostGap
        self.proxy = proxy
        self.obeysRobots = obeysRobots
        self.robotsProductToken = robotsProductToken
    }

    /// The defaults, with what the settings file (`tidings.toml`) says over them.
    public init(settings: Settings, allowPrivateNetworks: Bool = false) {
        self.init(allowPrivateNetworks: allowPrivateNetworks || (settings.allowPrivateNetworks ?? false))
        if let userAgent = settings.userAgent { self.userAgent = userAgent }
        if let concurrency = settings.concurrency { globalConcurrency = concurrency }
        if let perHost = settings.perHost { perHostConcurrency = perHost }
        if let hostGap = settings.hostGap { self.hostGap = hostGap }
        proxy = settings.proxy
        caFile = settings.caFile
    }

    /// Addresses refused whatever their range (tests only: see `AddressGuard`).
    var deniedAddressesForTesting: Set<String> = []

    var addressGuard: AddressGuard {
        AddressGuard(allowPrivateNetworks: allowPrivateNetworks, deniedForTesting: deniedAddressesForTesting)
    }

    /// The token robots.txt groups are chosen by.
    var productToken: String {
        if let robotsProductToken { return robotsProductToken }
        let token = userAgent.prefix { $0 != "/" && $0 != " " }
        return token.isEmpty ? "Tidings" : String(token)
    }
}
