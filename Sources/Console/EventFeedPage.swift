import Gateway
import Hummingbird

extension ConsolePages {
    /// The live event feed: the page's script reads `GET /api/v1/events/stream` with the session
    /// cookie, newest first; `?category=` narrows it.
    func events(_ session: ConsoleSessions.Session) async throws -> Response {
        // From the head on: the feed is what happens now, not the whole log again.
        let head = try await services.store.headPosition()
        let body = """
            <p>Stream: <span id="feed-state" class="pending">connecting…</span> · <span id="feed-count">0</span> events since this page opened (the newest 200 are shown).</p>
            <table id="feed" data-after="\(head)"><thead><tr><th>position</th><th>recorded</th><th>stream</th><th>type</th><th>data</th></tr></thead><tbody></tbody></table>
            <script src="/console/assets/console.js"></script>
            """
        return ConsolePage(title: "Live events", section: "events", body: body, session: session).response()
    }
}
