import Foundation
import Storage
import TidingsCore

/// The Prometheus text exposition format (version 0.0.4) of the daemon's counters.
enum MetricsText {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The built-in server's connections, when it runs.
    struct ServerFigures {
        var openConnections: Int
        var refusedConnections: Int
        var connectionLimit: Int
    }

    static func render(status: DaemonStatus, isAlive: Bool, sources: [Source], health: (String) -> SourceHealth,
                       server: ServerFigures? = nil) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        func label(_ pairs: (String, String)...) -> String {
            "{" + pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        let metrics = status.metrics
        let ids = sources.map(\.id)
        family("tidings_up", "gauge", "1 while the scheduler is alive.", [("", isAlive ? "1" : "0")])
        family("tidings_sources", "gauge", "Sources defined in feeds/.", [("", "\(status.sourceCount)")])
        family("tidings_sources_failing", "gauge", "Sources whose last refresh failed.", [("", "\(status.failingCount)")])
        family("tidings_refreshes_running", "gauge", "Refreshes in progress.", [("", "\(status.runningCount)")])
        family("tidings_refreshes_total", "counter", "Refreshes since start, by source and outcome.", ids.flatMap { id in
            let entry = metrics.sources[id] ?? .init()
            return [(label(("source", id), ("outcome", "success")), "\(entry.successes)"),
                    (label(("source", id), ("outcome", "failure")), "\(entry.failures)")]
        })
        family("tidings_fetches_total", "counter", "Pages fetched since start, by source.", ids.map { id in
            (label(("source", id)), "\(metrics.sources[id]?.pagesFetched ?? 0)")
        })
        family("tidings_fetched_bytes_total", "counter", "Body bytes of the pages fetched since start (after content decoding), by source.",
               ids.map { id in (label(("source", id)), "\(metrics.sources[id]?.bytesFetched ?? 0)") })
        family("tidings_errors_total", "counter", "Problems met while refreshing, by kind.",
               metrics.issuesByKind.sorted { $0.key < $1.key }.map { (label(("kind", $0.key)), "\($0.value)") })
        family("tidings_new_entries_total", "counter", "New articles stored since start, by source.", ids.map { id in
            (label(("source", id)), "\(metrics.sources[id]?.newArticles ?? 0)")
        })
        family("tidings_links_found", "gauge", "Article links found by the last refresh, by source.", ids.map { id in
            (label(("source", id)), "\(metrics.sources[id]?.linksFoundLastRun ?? 0)")
        })
        family("tidings_refresh_duration_seconds", "summary", "Time spent refreshing, by source.", ids.flatMap { id in
            let entry = metrics.sources[id] ?? .init()
            let runs = entry.successes + entry.failures
            return [(label(("source", id)).replacingOccurrences(of: "{", with: "_sum{"), String(format: "%.3f", entry.durationSecondsTotal)),
                    (label(("source", id)).replacingOccurrences(of: "{", with: "_count{"), "\(runs)")]
        })
        family("tidings_last_success_timestamp_seconds", "gauge", "Unix time of the last successful refresh, by source.",
               ids.compactMap { id in
                   let date = metrics.sources[id]?.lastSuccess ?? health(id).lastSuccess?.date
                   return date.map { (label(("source", id)), String(format: "%.0f", $0.timeIntervalSince1970)) }
               })
        family("tidings_publish_failing", "gauge", "1 while the last attempt to write the feed files failed.",
               [("", status.publishFailure == nil ? "0" : "1")])
        if let published = status.lastPublished {
            family("tidings_last_publish_timestamp_seconds", "gauge", "Unix time the feed files were last written without an error.",
                   [("", String(format: "%.0f", published.timeIntervalSince1970))])
        }
        if let node = status.node {
            let shared = status.sharedWork ?? SharedWorkOverview()
            family("tidings_store_up", "gauge", "1 while the shared store answers.", [("", status.storeFailure == nil ? "1" : "0")])
            family("tidings_node_heartbeat_age_seconds", "gauge", "Seconds since each node's last heartbeat, as the store has it.",
                   shared.nodes.map { (label(("node", $0.id)), String(format: "%.1f", $0.secondsSinceHeartbeat)) })
            family("tidings_node_leases", "gauge", "Hosts each node holds a lease on now.",
                   Dictionary(grouping: shared.leases, by: \.owner).sorted { $0.key < $1.key }.map { (label(("node", $0.key)), "\($0.value.count)") })
            family("tidings_lease_expiry_seconds", "gauge", "Seconds until each held lease expires, by host and node.",
                   shared.leases.map { (label(("host", $0.host), ("node", $0.owner)), String(format: "%.1f", $0.expiresInSeconds)) })
            family("tidings_source_last_node", "gauge", "1 for the node that refreshed each source last.", ids.compactMap { id in
                shared.lastRuns[id].map { (label(("source", id), ("node", $0.node)), "1") }
            })
            family("tidings_claims_total", "counter", "Hosts this node claimed since start.", [(label(("node", node)), "\(status.claims)")])
            var quantiles: [(labels: String, value: String)] = []
            for q in [0.5, 0.95] {
                if let value = status.claimQuantile(q) { quantiles.append((label(("quantile", "\(q)")), String(format: "%.4f", value))) }
            }
            quantiles.append(("_sum", String(format: "%.4f", status.claimSecondsTotal)))
            quantiles.append(("_count", "\(status.claims)"))
            family("tidings_claim_duration_seconds", "summary", "Time one claim of a host took (the store's round trip).", quantiles)
        }
        if let server {
            family("tidings_http_connections", "gauge", "Client connections being served.", [("", "\(server.openConnections)")])
            family("tidings_http_connection_limit", "gauge", "Client connections served at once; more get 503.",
                   [("", "\(server.connectionLimit)")])
            family("tidings_http_connections_refused_total", "counter", "Connections answered 503 because the limit was reached.",
                   [("", "\(server.refusedConnections)")])
        }
        return out
    }

    /// Label values escape backslash, double quote and newline.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
