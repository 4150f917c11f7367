import Gateway
import HTTPTypes
import Hummingbird

/// The frame every console page shares: the navigation, the signed-in key, the logout form (with
/// the session's CSRF token), and the page's own HTML (already escaped by the page).
struct ConsolePage {
    var title: String
    /// Which navigation entry is current.
    var section: String
    var body: String
    var session: ConsoleSessions.Session?

    static let sections: [(id: String, label: String, path: String)] = [
        ("overview", "Overview", "/console"),
        ("where", "Where is it?", "/console/where"),
        ("dlq", "Dead letters", "/console/dlq"),
        ("events", "Live events", "/console/events"),
    ]

    var html: String {
        var nav = ""
        if let session {
            nav = "<nav>" + Self.sections.map { s in
                "<a href=\"\(s.path)\"\(s.id == section ? " class=\"current\"" : "")>\(s.label.html)</a>"
            }.joined() + """
                <form method="post" action="/console/logout" class="logout">
                <span class="who">\(session.principal.name.html)</span>
                <input type="hidden" name="csrf" value="\(session.csrfToken.html)">
                <button type="submit" id="logout">Log out</button></form></nav>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title.html) · PakLog</title>
            <link rel="stylesheet" href="/console/assets/console.css">
            </head><body>
            <header><span class="brand">PakLog Gateway</span>\(nav)</header>
            <main><h1>\(title.html)</h1>
            \(body)
            </main></body></html>
            """
    }

    func response(_ status: HTTPResponse.Status = .ok) -> Response {
        ConsolePage.htmlResponse(status, html)
    }

    static func htmlResponse(_ status: HTTPResponse.Status, _ html: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            // No inline script or style runs, nothing loads from elsewhere, no framing
            // (clickjacking of the replay button).
            .contentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
        ]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
