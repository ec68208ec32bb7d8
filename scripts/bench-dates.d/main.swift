import Foundation

// Times each kind of date work with the code before the one date module (Baseline.swift) and
// with TidingsCore's date module, over the same inputs in one run, and prints the ratios.
let rounds = max(1, Int(CommandLine.arguments.dropFirst().first ?? "") ?? 5_000)
let zone = TimeZone(identifier: "Asia/Shanghai")!

var random = SystemRandomNumberGenerator()
let moments = (0..<rounds).map { _ in
    Timestamp(date: Date(timeIntervalSince1970: Double(Int.random(in: 946_684_800...1_893_456_000, using: &random))),
              offsetSeconds: [0, 8 * 3600, -5 * 3600, 19_800].randomElement(using: &random)!)
}
let rfc3339Texts = moments.map(\.rfc3339)
let feedTexts = moments.enumerated().map { i, t in i % 2 == 0 ? t.formatted(.rfc822) : t.rfc3339 }
let httpTexts = moments.map { HTTPDate.format($0.date) }
let hintTexts = moments.map { "发布时间：" + $0.formatted(.readable).prefix(16) + " 来源：新华网" }

/// The best of three runs (the machine is shared) and what the last one counted.
func seconds(_ body: () -> Int) -> (Double, Int) {
    var best = Double.infinity
    var count = 0
    for _ in 0..<3 {
        let start = DispatchTime.now().uptimeNanoseconds
        count = body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (best, count)
}

func compare(_ name: String, old: () -> Int, new: () -> Int) -> Double {
    let (oldTime, oldCount) = seconds(old)
    let (newTime, newCount) = seconds(new)
    let ratio = oldTime / max(newTime, 1e-9)
    let agree = oldCount == newCount ? "" : "  (read \(oldCount) vs \(newCount))"
    let label = name.padding(toLength: 20, withPad: " ", startingAt: 0)
    print(label + String(format: " old %8.1f ms  new %7.1f ms  %7.1f× faster", oldTime * 1000, newTime * 1000, ratio) + agree)
    return ratio
}

print("bench-dates: \(rounds) inputs per kind")
var ratios: [Double] = []
ratios.append(compare("parse RFC 3339", old: { rfc3339Texts.reduce(0) { $0 + (Baseline.rfc3339($1) == nil ? 0 : 1) } },
                      new: { rfc3339Texts.reduce(0) { $0 + (Timestamp(rfc3339: $1) == nil ? 0 : 1) } }))
ratios.append(compare("format RFC 3339", old: { moments.reduce(0) { $0 + Baseline.format($1.date, offsetSeconds: $1.offsetSeconds).utf8.count } },
                      new: { moments.reduce(0) { $0 + $1.rfc3339.utf8.count } }))
ratios.append(compare("parse feed dates", old: { feedTexts.reduce(0) { $0 + (Baseline.feedDate($1, zone: zone) == nil ? 0 : 1) } },
                      new: { feedTexts.reduce(0) { $0 + (FeedDate.parse($1, zone: zone) == nil ? 0 : 1) } }))
ratios.append(compare("parse HTTP dates", old: { httpTexts.reduce(0) { $0 + (Baseline.httpDate($1) == nil ? 0 : 1) } },
                      new: { httpTexts.reduce(0) { $0 + (HTTPDate.parse($1) == nil ? 0 : 1) } }))
ratios.append(compare("date hints in text", old: { hintTexts.reduce(0) { $0 + (Baseline.textHint($1, zone: zone) == nil ? 0 : 1) } },
                      new: { hintTexts.reduce(0) { $0 + (DateScanner.first(in: $1)?.timestamp(in: zone) == nil ? 0 : 1) } }))
print(String(format: "RFC 3339 parse %.1f× faster, format %.1f×, feed dates %.1f×, HTTP dates %.1f×, text hints %.1f×",
             ratios[0], ratios[1], ratios[2], ratios[3], ratios[4]))
