import BusinessKeys
import Foundation
import Gateway
import Hummingbird

extension ConsolePages {
    /// "Where is it?": a search box (any business key, optionally of one kind) and the timeline
    /// the index finds for it.
    func whereIsIt(_ request: Request, _ session: ConsoleSessions.Session) async throws -> Response {
        let query = request.uri.queryParameters
        let key = query["key"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let kindText = query["kind"].map(String.init) ?? ""
        let kind = BusinessKeyKind(rawValue: kindText)
        let options = (["<option value=\"\">any kind</option>"] + BusinessKeyKind.allCases.map { k in
            "<option value=\"\(k.rawValue)\"\(k == kind ? " selected" : "")>\(k.rawValue)</option>"
        }).joined()
        var body = """
            <form method="get" action="/console/where" class="search">
            <input type="text" id="where-key" name="key" value="\(key.html)" placeholder="order number, Shopify order id, webhook-id, ISA13/GS06/ST02, AS2 Message-ID, tracking number, EPC, message id" autofocus>
            <select name="kind" id="where-kind">\(options)</select>
            <button type="submit" id="where-search">Search</button>
            </form>
            """
        guard !key.isEmpty else {
            body += "<p class=\"muted\">Search one key: the page shows every event of its exchange across the log, from the inbound envelope to the acknowledgment.</p>"
            return ConsolePage(title: "Where is it?", section: "where", body: body, session: session).response()
        }
        if !kindText.isEmpty && kind == nil {
            body += "<p class=\"flash error\">Unknown kind '\(kindText.html)'.</p>"
            return ConsolePage(title: "Where is it?", section: "where", body: body, session: session).response(.badRequest)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let timeline = try await services.index.lookup(key, kind: kind)
        let elapsed = clock.now - started
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        let matches = timeline.matches.map { "<span class=\"badge\">\($0.kind.rawValue.html): \($0.value.html)</span>" }.joined(separator: " ")
        body += timeline.matches.isEmpty
            ? "<p class=\"flash error\" id=\"where-none\">No event carries '\(key.html)' (the index has seen the log up to position \(timeline.indexedThrough)).</p>"
            : "<p id=\"where-summary\">\(timeline.entries.count) events\(timeline.truncated ? " (the first \(timeline.entries.count))" : "") for \(matches) · \(String(format: "%.1f", milliseconds)) ms</p>"
        let rows = timeline.entries.map { e in
            [
                "<span class=\"num\">\(e.position)</span>", "<span class=\"mono\">\(Self.time(e.recordedAt))</span>", e.step.rawValue.html,
                "<span class=\"mono\">\(e.stream.html)</span>", e.type.html, "<span class=\"\(e.outcome.html)\">\(e.outcome.html)</span>", e.summary.html,
                e.keys.filter { $0.kind != .messageId && $0.kind != .idempotencyKey }.prefix(4)
                    .map { "<span class=\"badge\">\($0.kind.rawValue.html) \($0.value.html)</span>" }.joined(separator: " "),
            ]
        }
        if !timeline.matches.isEmpty {
            body += Self.table(["position", "time", "step", "stream", "type", "outcome", "what happened", "keys"], rows, id: "timeline", empty: "")
        }
        return ConsolePage(title: "Where is it?", section: "where", body: body, session: session).response()
    }
}
