import TidingsCore

/// The one-word health of a source shown on the index page.
enum HealthMark: Equatable {
    case ok, new, failing, broken

    init(_ health: SourceHealth) {
        if health.isBroken {
            self = .broken
        } else if health.isFailing {
            self = .failing
        } else if health.lastAttempt == nil && health.lastSuccess == nil {
            self = .new
        } else {
            self = .ok
        }
    }

    var cssClass: String {
        switch self {
        case .ok: "ok"
        case .new: "new"
        case .failing: "failing"
        case .broken: "broken"
        }
    }

    var label: String {
        switch self {
        case .ok: "ok"
        case .new: "not refreshed yet"
        case .failing: "failing"
        case .broken: "broken"
        }
    }

    var explanation: String {
        switch self {
        case .ok: "The last refresh worked."
        case .new: "Tidings has not refreshed this source yet."
        case .failing: "The last refresh failed; the feed keeps its entries and the next refresh tries again."
        case .broken: "No articles found for \(SourceHealth.emptyRunsBeforeBroken) or more refreshes in a row: the site may have changed its layout."
        }
    }
}
