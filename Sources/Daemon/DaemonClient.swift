import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Refresh

/// Asks a running daemon to refresh sources (what `tidings refresh` does when one runs).
public struct DaemonClient: Sendable {
    public var baseURL: URL
    public var token: String?

    /// Refreshes of many sources take long; the daemon answers when all are done.
    public static let requestTimeout: TimeInterval = 3600

    public init(baseURL: URL, token: String?) {
        self.baseURL = baseURL
        self.token = token
    }

    /// A client for the daemon described by `daemon.json`, or nil when it listens only on a
    /// unix socket (use `curl --unix-socket` there) or does not serve at all.
    public init?(endpoint: DaemonEndpoint) {
        guard endpoint.unixSocket == nil, let text = endpoint.url, let url = URL(string: text) else { return nil }
        self.init(baseURL: url, token: endpoint.refreshToken)
    }

    /// Refreshes the named sources (every source when empty) and returns one report each.
    public func refresh(_ sourceIDs: [String]) async throws -> [RefreshReport] {
        if sourceIDs.isEmpty { return try await post(path: "refresh") }
        var reports: [RefreshReport] = []
        try await withThrowingTaskGroup(of: [RefreshReport].self) { group in
            for id in sourceIDs { group.addTask { try await post(path: "refresh/" + id) } }
            for try await batch in group { reports += batch }
        }
        return sourceIDs.compactMap { id in reports.first { $0.sourceID == id } }
    }

    private func post(path: String) async throws -> [RefreshReport] {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        guard let url = URL(string: encoded, relativeTo: baseURL.appendingPathComponent("/")) else {
            throw DaemonClientError(url: baseURL.absoluteString + "/" + path, message: "not a valid URL")
        }
        var request = URLRequest(url: url, timeoutInterval: Self.requestTimeout)
        request.httpMethod = "POST"
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw DaemonClientError(url: url.absoluteString, message: "no answer from the daemon: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            let detail = (try? JSONDecoder().decode([String: String].self, from: data))?["error"] ?? "HTTP \(status)"
            throw DaemonClientError(url: url.absoluteString, message: detail, status: status)
        }
        do {
            return try JSONDecoder().decode(RefreshResponse.self, from: data).reports.map(\.report)
        } catch {
            throw DaemonClientError(url: url.absoluteString, message: "the daemon's answer is not a refresh report: \(error)")
        }
    }
}

/// A daemon that could not be asked, or refused.
public struct DaemonClientError: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var message: String
    /// The HTTP status, when the daemon answered (404: unknown source, 401: wrong token).
    public var status: Int?

    public init(url: String, message: String, status: Int? = nil) {
        self.url = url
        self.message = message
        self.status = status
    }

    public var description: String { "\(url): \(message)" }
}
