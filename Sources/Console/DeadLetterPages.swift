import EventStore
import Foundation
import Gateway
import Hummingbird
import JSON
import Messaging

extension ConsolePages {
    /// Every dead-letter stream, and each endpoint's dead letters with their state.
    func deadLetters(_ session: ConsoleSessions.Session) async throws -> Response {
        let streams = try await services.deadLetters.streams()
        var body = Self.table(["stream", "owner", "name", "events"], streams.map { s in
            ["<span class=\"mono\">\(s.stream.html)</span>", (s.owner?.rawValue ?? "—").html, (s.name ?? "—").html, "<span class=\"num\">\(s.events)</span>"]
        }, id: "dlq-streams", empty: "The dead-letter store is empty.")
        let evidence = streams.filter { $0.owner == .source || $0.owner == .route }
        if !evidence.isEmpty {
            body += "<h2>Sources and routes</h2><p class=\"muted\">Rejected inbound messages and route failures: evidence to read, not deliveries to replay.</p>"
            body += "<ul id=\"dlq-evidence\">" + evidence.compactMap { s -> String? in
                guard let owner = s.owner, let name = s.name else { return nil }
                return "<li><a href=\"/console/dlq/\(owner.rawValue)/\(HTMLText.urlComponent(name))\">\(owner.rawValue.html) \(name.html)</a> (\(s.events))</li>"
            }.joined() + "</ul>"
        }
        for s in streams where s.owner == .endpoint {
            guard let endpoint = s.name else { continue }
            let letters = try await services.deadLetters.list(endpoint: endpoint)
            body += "<h2>Endpoint \(endpoint.html)</h2>"
            body += Self.table(["message", "dead-lettered", "attempts", "reason", "status"], letters.map { l in
                let id = l.message.id.uuidString.lowercased()
                return ["<a class=\"mono dead-letter\" href=\"/console/dlq/\(HTMLText.urlComponent(endpoint))/\(id)\">\(id)</a>", Self.time(l.at),
                        String(l.attempts.count), l.reason.html, Self.status(l.status)]
            }, id: "dlq-\(endpoint.html)", empty: "No dead letters.")
        }
        return ConsolePage(title: "Dead letters", section: "dlq", body: body, session: session).response()
    }

    /// A source's or a route's dead-letter stream: each event with its reason and data.
    func evidence(_ target: ConsoleRoutes.Target, _ session: ConsoleSessions.Session) async throws -> Response? {
        guard let owner = DeadLetterStream.Owner(rawValue: target.name), owner != .endpoint else { return nil }
        let events = try await services.deadLetters.evidence(owner, target.id)
        let rows = events.map { e in
            ["<span class=\"num\">\(e.position)</span>", Self.time(e.recordedAt), e.type.html, (e.metadata.extra["reason"] ?? "").html,
             "<pre>\(String(decoding: e.data.prefix(4000), as: UTF8.self).html)</pre>"]
        }
        let body = Self.table(["position", "recorded", "type", "reason", "data"], rows, id: "evidence", empty: "No events.")
        return ConsolePage(title: "Dead letters of \(owner.rawValue) \(target.id)", section: "dlq", body: body, session: session).response()
    }

    /// One dead letter: why, every attempt, the body, and the replay, dry-run and discard forms.
    func deadLetter(_ target: ConsoleRoutes.Target, _ request: Request, _ session: ConsoleSessions.Session, flash: String? = nil) async throws -> Response {
        // `/console/dlq/source/<name>` and `/console/dlq/route/<name>` share the path's shape.
        if flash == nil, let page = try await evidence(target, session) { return page }
        guard let id = UUID(uuidString: target.id) else { return notFound(target, session) }
        guard let letter = try await services.deadLetters.show(endpoint: target.name, messageId: id) else { return notFound(target, session) }
        let base = "/console/dlq/\(HTMLText.urlComponent(target.name))/\(id.uuidString.lowercased())"
        var body = flash ?? ""
        if let replayed = request.uri.queryParameters["replayed"].map(String.init) {
            body += "<p class=\"flash\" id=\"replayed\">Queued again as message <a class=\"mono\" href=\"/console/where?key=\(HTMLText.urlComponent(replayed))\">\(replayed.html)</a>: follow it on \"where is it?\".</p>"
        }
        if request.uri.queryParameters["discarded"] != nil { body += "<p class=\"flash\" id=\"discarded\">Discarded.</p>" }
        body += """
            <table id="dead-letter"><tbody>
            <tr><th>message</th><td class="mono">\(id.uuidString.lowercased())</td></tr>
            <tr><th>endpoint</th><td>\(target.name.html)</td></tr>
            <tr><th>route</th><td>\((letter.message.route ?? "—").html)</td></tr>
            <tr><th>mapping</th><td>\((letter.message.mappingName ?? "—").html) \((letter.message.mappingVersion.map { "v" + $0 } ?? "").html)</td></tr>
            <tr><th>dead-lettered</th><td>\(Self.time(letter.at))</td></tr>
            <tr><th>reason</th><td class="failed">\(letter.reason.html)</td></tr>
            <tr><th>status</th><td id="dead-letter-status">\(Self.status(letter.status))</td></tr>
            <tr><th>timeline</th><td><a href="/console/where?key=\(id.uuidString.lowercased())">where is it?</a></td></tr>
            </tbody></table>
            <h2>Attempts</h2>
            """
        body += Self.table(["attempt", "at", "HTTP status", "error", "retryable"], letter.attempts.map { a in
            [String(a.attempt), Self.time(a.at), a.statusCode.map(String.init) ?? "—", a.error.html, a.retryable ? "yes" : "no"]
        }, id: "attempts", empty: "No attempts recorded.")
        body += "<h2>Body</h2><pre id=\"body\">\(String(decoding: letter.message.body.serialized(pretty: true), as: UTF8.self).html)</pre>"
        if case .open = letter.status {
            let csrf = session.csrfToken.html
            body += """
                <h2>Actions</h2>
                <form method="post" action="\(base)/replay" class="inline">
                <input type="hidden" name="csrf" value="\(csrf)"><input type="hidden" name="dryRun" value="true">
                <label><input type="checkbox" name="remap" value="true"> through the route's current mapping</label>
                <button type="submit" class="secondary" id="dry-run">Dry run</button></form>
                <form method="post" action="\(base)/replay" class="inline">
                <input type="hidden" name="csrf" value="\(csrf)">
                <button type="submit" id="replay">Replay</button></form>
                <form method="post" action="\(base)/discard" class="inline">
                <input type="hidden" name="csrf" value="\(csrf)">
                <input type="text" name="reason" id="discard-reason" placeholder="why it is discarded">
                <button type="submit" class="danger" id="discard">Discard</button></form>
                """
        }
        return ConsolePage(title: "Dead letter", section: "dlq", body: body, session: session).response()
    }

    /// A replay or its dry run: the same operation as `POST /api/v1/dlq/…/replay`.
    func replay(_ target: ConsoleRoutes.Target, _ request: Request, _ session: ConsoleSessions.Session) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        guard services.sessions.checkCSRF(session, token: form["csrf"]) else { return ConsoleRoutes.csrfRefused(session) }
        guard let id = UUID(uuidString: target.id) else { return notFound(target, session) }
        let dryRun = form["dryRun"] == "true", remap = form["remap"] == "true"
        do {
            switch try await services.deadLetters.replay(endpoint: target.name, messageId: id, remap: remap, dryRun: dryRun) {
            case .queued(let message):
                return ConsoleRoutes.redirect("/console/dlq/\(HTMLText.urlComponent(target.name))/\(id.uuidString.lowercased())?replayed=\(message.id.uuidString.lowercased())")
            case .planned(let plan):
                let differences = plan.differences.isEmpty
                    ? "<p id=\"diff\" class=\"ok\">The body would be sent unchanged.</p>"
                    : "<ul id=\"diff\">" + plan.differences.map { "<li class=\"mono\">\($0.description.html)</li>" }.joined() + "</ul>"
                let flash = """
                    <div class="flash" id="dry-run-result"><strong>Dry run\(remap ? " through the current mapping" : "")</strong>: nothing was written.
                    The replay would queue message <span class="mono">\(plan.message.id.uuidString.lowercased())</span>\(plan.message.mappingVersion.map { " (mapping version \($0.html))" } ?? "").
                    \(differences)<pre>\(String(decoding: plan.message.body.serialized(pretty: true), as: UTF8.self).html)</pre></div>
                    """
                return try await deadLetter(target, request, session, flash: flash)
            }
        } catch let refusal as DeadLetterRefusal {
            return ConsolePage(title: "Replay refused", section: "dlq", body: "<p class=\"flash error\">\(refusal.message.html)</p>", session: session)
                .response(refusal.status)
        }
    }

    /// Discard with a reason: the same operation as `POST /api/v1/dlq/…/discard`.
    func discard(_ target: ConsoleRoutes.Target, _ request: Request, _ session: ConsoleSessions.Session) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        guard services.sessions.checkCSRF(session, token: form["csrf"]) else { return ConsoleRoutes.csrfRefused(session) }
        guard let id = UUID(uuidString: target.id) else { return notFound(target, session) }
        do {
            try await services.deadLetters.discard(endpoint: target.name, messageId: id, reason: form["reason"] ?? "")
            return ConsoleRoutes.redirect("/console/dlq/\(HTMLText.urlComponent(target.name))/\(id.uuidString.lowercased())?discarded=1")
        } catch let refusal as DeadLetterRefusal {
            return ConsolePage(title: "Discard refused", section: "dlq", body: "<p class=\"flash error\">\(refusal.message.html)</p>", session: session)
                .response(refusal.status)
        }
    }

    private func notFound(_ target: ConsoleRoutes.Target, _ session: ConsoleSessions.Session) -> Response {
        ConsolePage(title: "Dead letter", section: "dlq", body: "<p class=\"flash error\">No dead letter '\(target.id.html)' for endpoint '\(target.name.html)'.</p>",
                    session: session).response(.notFound)
    }

    static func status(_ status: DeadLetter.Status) -> String {
        switch status {
        case .open: "<span class=\"failed\">open</span>"
        case let .replayed(message, at, version):
            "<span class=\"ok\">replayed</span> as <a class=\"mono\" href=\"/console/where?key=\(message.uuidString.lowercased())\">\(message.uuidString.lowercased())</a> at \(time(at))"
                + (version.map { " (mapping v\($0.html))" } ?? "")
        case let .discarded(at, reason): "<span class=\"info\">discarded</span> at \(time(at)): \(reason.html)"
        }
    }
}
