import Gateway
import Hummingbird

extension ConsolePages {
    /// The live event feed: the page's script reads `GET /api/v1/events/stream` with the session
    /// cookie, newest first; `?after=N` starts after position N instead of at the head.
    func events(_ request: Request, _ session: ConsoleSessions.Session) async throws -> Response {
        // From the head on unless asked: the feed is what happens now, not the whole log again.
        let head: Int64
        if let text = request.uri.queryParameters["after"] {
            guard let after = Int64(String(text)), after >= 0 else {
                return ConsolePage(title: "Live events", section: "events", body: "<p class=\"flash error\">after must be a log position.</p>", session: session)
                    .response(.badRequest)
            }
            head = after
        } else {
            head = try await services.store.headPosition()
        }
        let body = """
            <p>Stream: <span id="feed-state" class="pending">connecting…</span> · <span id="feed-count">0</span> events since this page opened (the newest 200 are shown).</p>
            <table id="feed" data-after="\(head)"><thead><tr><th>position</th><th>recorded</th><th>stream</th><th>type</th><th>data</th></tr></thead><tbody></tbody></table>
            <script src="/console/assets/console.js"></script>
            """
        return ConsolePage(title: "Live events", section: "events", body: body, session: session).response()
    }
}
