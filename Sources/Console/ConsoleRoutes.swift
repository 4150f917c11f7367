import Foundation
import Gateway
import HTTPTypes
import Hummingbird

/// The operations console at `/console`: server-rendered pages behind a login with an API key.
///
/// - `GET /console/login` and `POST /console/login` (the key in a form) are the only pages that
///   answer without a session, with the stylesheet and script under `/console/assets/`.
/// - A login creates a `ConsoleSessions` session: an opaque random id in an HttpOnly,
///   SameSite=Strict cookie; the key is checked as a bearer token is and never stored.
/// - Every state-changing form (replay, discard, logout) carries the session's CSRF token,
///   checked before anything happens; the login form carries a one-time token that must match
///   its cookie (double submit), so no other site can log a browser in under its own key.
/// - Each page and action asks for the scope of the API route it mirrors (`APIScopes`), so a key
///   sees and does in the console exactly what it may through the API.
public struct ConsoleRoutes: GatewayRouteProvider {
    let services: ConsoleServices
    /// When the daemon built its console (its start, near enough): the overview's rates are
    /// counts since then over the time since then.
    let started = Date()

    public init(services: ConsoleServices) { self.services = services }

    static let loginCookie = "paklog_login"

    public func addPublicRoutes(to router: Router<BasicRequestContext>) {
        router.get("/console/assets/console.css") { _, _ in Self.asset(ConsoleAssets.css, "text/css; charset=utf-8") }
        router.get("/console/assets/console.js") { _, _ in Self.asset(ConsoleAssets.js, "text/javascript; charset=utf-8") }
        router.get("/console/login") { request, _ in
            if services.sessions.session(cookieHeader: request.headers[.cookie]) != nil { return Self.redirect("/console") }
            return LoginPage.form(error: nil, sessions: services.sessions)
        }
        router.post("/console/login") { request, _ in try await login(request) }
        router.post("/console/logout") { request, _ in
            let form = try await ConsoleForm.read(request)
            guard let id = request.headers[.cookie].flatMap({ ConsoleSessions.cookie(ConsoleSessions.cookieName, in: $0) }),
                  let session = services.sessions.session(id) else { return Self.redirect("/console/login") }
            guard services.sessions.checkCSRF(session, token: form["csrf"]) else { return Self.csrfRefused(session) }
            services.sessions.end(id)
            var response = Self.redirect("/console/login")
            response.headers[.setCookie] = services.sessions.clearCookie
            return response
        }

        let pages = ConsolePages(services: services, started: started)
        page(router, .get, "/console", api: "/metrics") { request, _, session in try await pages.overview(session) }
        page(router, .get, "/console/where", api: "/api/v1/where") { request, _, session in try await pages.whereIsIt(request, session) }
        page(router, .get, "/console/events", api: "/api/v1/events/stream") { request, _, session in try await pages.events(request, session) }
        page(router, .get, "/console/dlq", api: "/api/v1/dlq") { _, _, session in try await pages.deadLetters(session) }
        page(router, .get, "/console/dlq/:name/:id", api: { "/api/v1/dlq/\($0.name)/\($0.id)" }) { request, target, session in
            try await pages.deadLetter(target, request, session)
        }
        page(router, .post, "/console/dlq/:name/:id/replay", api: { "/api/v1/dlq/\($0.name)/\($0.id)/replay" }) { request, target, session in
            try await pages.replay(target, request, session)
        }
        page(router, .post, "/console/dlq/:name/:id/discard", api: { "/api/v1/dlq/\($0.name)/\($0.id)/discard" }) { request, target, session in
            try await pages.discard(target, request, session)
        }
    }

    /// A dead letter named by the path: its endpoint and message id.
    struct Target { var name: String; var id: String }

    private func page(_ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: String, api: String,
                      _ handler: @escaping @Sendable (Request, Target, ConsoleSessions.Session) async throws -> Response) {
        page(router, method, path, api: { _ in api }, handler)
    }

    /// Registers a page that needs a session whose principal has the scope of `api`'s route.
    private func page(_ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: String, api: @escaping @Sendable (Target) -> String,
                      _ handler: @escaping @Sendable (Request, Target, ConsoleSessions.Session) async throws -> Response) {
        let sessions = services.sessions
        router.on(RouterPath(path), method: method) { request, context in
            guard let session = sessions.session(cookieHeader: request.headers[.cookie]) else {
                return method == .get ? Self.redirect("/console/login") : ConsolePage(title: "Logged out", section: "", body:
                    "<p>Your session has ended. <a href=\"/console/login\">Log in again</a>.</p>", session: nil).response(.unauthorized)
            }
            let target = Target(name: context.parameters.get("name") ?? "", id: context.parameters.get("id") ?? "")
            let scope = APIScopes.required(method: method, path: api(target))
            guard session.principal.may(scope) else {
                return ConsolePage(title: "Not allowed", section: "", body: "<p class=\"failed\">This key lacks the scope <code>\(scope.html)</code>.</p>",
                                   session: session).response(.forbidden)
            }
            return try await handler(request, target, session)
        }
    }

    private func login(_ request: Request) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        let expected = request.headers[.cookie].flatMap { ConsoleSessions.cookie(Self.loginCookie, in: $0) }
        guard let expected, let sent = form["csrf"], ConstantTimeCheck.equal(expected, sent) else {
            return LoginPage.form(error: "The login form expired; please try again.", status: .forbidden, sessions: services.sessions)
        }
        guard let key = form["key"]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
            return LoginPage.form(error: "Enter an API key.", status: .badRequest, sessions: services.sessions)
        }
        guard let principal = services.authenticate(Array(key.utf8)) else {
            return LoginPage.form(error: "That key is not valid (unknown, revoked or mistyped).", status: .unauthorized, sessions: services.sessions)
        }
        let id = services.sessions.create(for: principal)
        var response = Self.redirect("/console")
        response.headers.append(HTTPField(name: .setCookie, value: services.sessions.setCookie(id)))
        response.headers.append(HTTPField(name: .setCookie, value: services.sessions.cookie(Self.loginCookie, "", path: "/console/login", maxAge: 0)))
        return response
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func csrfRefused(_ session: ConsoleSessions.Session) -> Response {
        ConsolePage(title: "Refused", section: "", body: "<p class=\"failed\">The form's CSRF token is missing or wrong; nothing was done. Reload the page and try again.</p>",
                    session: session).response(.forbidden)
    }

    private static func asset(_ text: String, _ type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
