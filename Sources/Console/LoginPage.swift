import Gateway
import Hummingbird

/// The login form: an API key, and a one-time token that must come back with the cookie set here.
enum LoginPage {
    static func form(error: String?, status: HTTPResponse.Status = .ok, sessions: ConsoleSessions) -> Response {
        let token = ConsoleSessions.token()
        let body = """
            <div class="login">
            <p class="muted">Log in with an API key (<code>paklog keys create</code>). The key is checked as a bearer token is, and not kept: the browser gets a session cookie.</p>
            \(error.map { "<p class=\"flash error\" id=\"login-error\">\($0.html)</p>" } ?? "")
            <form method="post" action="/console/login">
            <input type="hidden" name="csrf" value="\(token)">
            <label for="key">API key</label>
            <input type="password" id="key" name="key" autocomplete="off" autofocus>
            <button type="submit" id="login">Log in</button>
            </form></div>
            """
        return ConsolePage.htmlResponse(status, ConsolePage(title: "Operations console", section: "", body: body, session: nil).html,
                                        headers: [.setCookie: sessions.cookie(ConsoleRoutes.loginCookie, token, path: "/console/login", maxAge: 900)])
    }
}
