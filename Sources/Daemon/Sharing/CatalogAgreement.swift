import Foundation
import Storage

/// Whether the nodes sharing a store read the same feeds/ folder. The catalog most nodes
/// have is taken as the intended one; a node with another is reported. With no majority (two
/// nodes that differ, or a tie) every node is reported, since none can be called right.
public struct CatalogAgreement: Sendable, Codable, Hashable {
    public struct Node: Sendable, Codable, Hashable {
        public var node: String
        public var hash: String
        public var sources: Int
        public var agrees: Bool
    }

    public var nodes: [Node]

    public init(_ catalogs: [NodeCatalog]) {
        var counts: [String: Int] = [:]
        for catalog in catalogs { counts[catalog.hash, default: 0] += 1 }
        let ranked = counts.sorted { $0.value > $1.value }
        let majority: String? = ranked.count == 1 || (ranked.count > 1 && ranked[0].value > ranked[1].value) ? ranked.first?.key : nil
        nodes = catalogs.sorted { $0.node < $1.node }.map {
            Node(node: $0.node, hash: $0.hash, sources: $0.sourceCount, agrees: $0.hash == majority)
        }
    }

    public var differing: [Node] { nodes.filter { !$0.agrees } }

    /// One line for /healthz and the log; nil when every node agrees.
    public var problem: String? {
        let differing = self.differing
        guard !differing.isEmpty else { return nil }
        let described = differing.map { "\($0.node) (feeds/ hash \($0.hash), \(Self.sources($0.sources)))" }
        let agreeing = nodes.filter(\.agrees)
        if let reference = agreeing.first {
            let others = agreeing.map(\.node).joined(separator: ", ")
            return "catalog differs on node \(described.joined(separator: ", ")) from \(others) (feeds/ hash \(reference.hash), \(Self.sources(reference.sources)))"
        }
        return "catalog differs between nodes: \(described.joined(separator: ", "))"
    }

    static func sources(_ count: Int) -> String { "\(count) source\(count == 1 ? "" : "s")" }
}
