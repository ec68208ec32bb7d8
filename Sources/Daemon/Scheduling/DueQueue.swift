/// The waiting sources in the order they should start: asked for by a person first, then by
/// due time, then by id. A binary heap of small tickets; a source's old ticket is left in
/// place when it gets a new one and skipped when it surfaces (its generation is stale), so
/// every change costs O(log n) and the scheduler never sorts its whole catalog.
struct DueQueue: Sendable {
    struct Ticket: Sendable, Comparable {
        var isUrgent: Bool
        var nextDue: Double
        var sourceID: String
        var generation: Int

        static func < (a: Ticket, b: Ticket) -> Bool {
            if a.isUrgent != b.isUrgent { return a.isUrgent }
            if a.nextDue != b.nextDue { return a.nextDue < b.nextDue }
            return a.sourceID < b.sourceID
        }
    }

    private var heap: [Ticket] = []

    var isEmpty: Bool { heap.isEmpty }
    var top: Ticket? { heap.first }
    /// Every ticket, live or stale, in no particular order.
    var tickets: [Ticket] { heap }

    mutating func push(_ ticket: Ticket) {
        heap.append(ticket)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> Ticket? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let ticket = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left] < heap[smallest] { smallest = left }
            if right < heap.count && heap[right] < heap[smallest] { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return ticket
    }

    /// Drops stale tickets from the top, so that `top` is a live one (or nil).
    mutating func dropStale(isLive: (Ticket) -> Bool) {
        while let first = heap.first, !isLive(first) { pop() }
    }

    /// Rebuilds from live tickets only when stale ones outnumber them (bounded memory).
    mutating func compact(isLive: (Ticket) -> Bool) {
        let live = heap.filter(isLive)
        guard heap.count > 2 * max(live.count, 64) else { return }
        heap = []
        for ticket in live { push(ticket) }
    }
}
