import EventStore
import Foundation
import Gateway
import Hummingbird

extension ConsolePages {
    /// Routes with their message and failure counts, sources and endpoints with their last
    /// exchange and counters, circuit breakers, scheduled jobs, certificates that expire soon.
    func overview(_ session: ConsoleSessions.Session) async throws -> Response {
        let status = await services.status()
        var buffer: [UInt8] = []
        services.metrics.emit(into: &buffer)
        let metrics = PrometheusText(String(decoding: buffer, as: UTF8.self))
        let routeMessages = metrics.values("paklog_route_messages_total", by: "route")
        let routeFailures = metrics.values("paklog_route_failures_total", by: "route")
        let routeOutputs = metrics.values("paklog_route_outputs_total", by: "route")
        let received = metrics.values("paklog_messages_received_total", by: "source")
        let rejected = metrics.values("paklog_messages_rejected_total", by: "source")
        let duplicates = metrics.values("paklog_messages_duplicate_total", by: "source")
        let retried = metrics.values("paklog_messages_retried_total", by: "endpoint")
        // The index may have read an event whose commit the head has not announced yet.
        let indexed = services.index.position
        let head = max(try await services.store.headPosition(), indexed)

        func n(_ v: Double?) -> String { String(Int(v ?? 0)) }
        func rate(_ failed: Double?, of total: Double?) -> String {
            guard let total, total > 0 else { return "—" }
            return String(format: "%.1f %%", 100 * (failed ?? 0) / total)
        }
        let minutes = max(Date().timeIntervalSince(started) / 60, 1.0 / 60)
        func perMinute(_ v: Double?) -> String { String(format: "%.1f", (v ?? 0) / minutes) }
        let routes = status.routes.sorted().map { r in
            [r.html, "<span class=\"num\">\(n(routeMessages[r]))</span>", perMinute(routeMessages[r]), n(routeOutputs[r]), n(routeFailures[r]),
             "<span class=\"\((routeFailures[r] ?? 0) > 0 ? "failed" : "ok")\">\(rate(routeFailures[r], of: routeMessages[r]))</span>"]
        }
        var sources: [[String]] = []
        for s in status.sources.sorted() {
            let last = try await services.store.readStream(StreamName(category: "inbox", id: s), from: nil, direction: .backward, maxCount: 1).first
            sources.append([s.html, n(received[s]), n(duplicates[s]), n(rejected[s]), Self.time(last?.recordedAt), (last?.type ?? "—").html])
        }
        var endpoints: [[String]] = []
        for (name, d) in status.endpoints.sorted(by: { $0.name < $1.name }) {
            let last = try await services.store.readStream(StreamName(category: "outbox", id: name), from: nil, direction: .backward, maxCount: 1).first
            let breaker = d?.breakerState?.rawValue ?? "none"
            let total = Double((d?.delivered ?? 0) + (d?.deadLettered ?? 0))
            endpoints.append([name.html, n(Double(d?.pending ?? 0)), n(Double(d?.inFlight ?? 0)), n(Double(d?.delivered ?? 0)), n(retried[name]),
                              n(Double(d?.deadLettered ?? 0)), rate(Double(d?.deadLettered ?? 0), of: total),
                              "<span class=\"badge \(breaker.html)\" data-breaker=\"\(name.html)\">\(breaker.html)</span>",
                              Self.time(last?.recordedAt), (last?.type ?? "—").html])
        }
        let jobs = status.jobs.map { j in
            [j.job.html, Self.time(j.lastRun), Self.time(j.nextRun), String(j.failures), (j.lastError ?? "").html]
        }
        let now = Date()
        let certificates = status.certificates.map { c -> [String] in
            let days = Int((c.notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
            // The daily check raises a certificate 30 days ahead (CertificateExpiryCheck.window).
            let cls = days < 0 ? "failed" : days < 30 ? "pending" : "ok"
            return [c.partner.html, c.role.html, "<span class=\"mono\">\(c.subject.html)</span>", Self.time(c.notAfter), "<span class=\"\(cls)\">\(days)</span>"]
        }
        let ready = status.notReady.isEmpty
            ? "<span class=\"ok\">ready</span>"
            : "<span class=\"pending\">not ready</span>: " + status.notReady.map(\.html).joined(separator: "; ")
        let body = """
            <div class="cards">
            <div class="card"><div class="n">\(head)</div><div class="l">events in the log</div></div>
            <div class="card"><div class="n">\(indexed)</div><div class="l">indexed for "where is it?"</div></div>
            <div class="card"><div class="n">\(n(received.values.reduce(0, +)))</div><div class="l">messages received since start</div></div>
            <div class="card"><div class="n">\(status.endpoints.reduce(0) { $0 + ($1.status?.deadLettered ?? 0) })</div><div class="l">dead-lettered since start</div></div>
            </div>
            <p>Readiness: \(ready)</p>
            <h2>Routes</h2>
            \(Self.table(["route", "messages", "per minute", "outputs", "failures", "error rate"], routes, id: "routes", empty: "No routes configured."))
            <h2>Sources</h2>
            \(Self.table(["source", "received", "duplicates", "rejected", "last exchange", "last event"], sources, id: "sources", empty: "No sources configured."))
            <h2>Endpoints and circuit breakers</h2>
            \(Self.table(["endpoint", "pending", "in flight", "delivered", "retried", "dead-lettered", "dead-letter rate", "breaker", "last exchange", "last event"],
                         endpoints, id: "endpoints", empty: "No endpoints configured."))
            <h2>Scheduled jobs</h2>
            \(Self.table(["job", "last run", "next run", "failures", "last error"], jobs, id: "jobs", empty: "No scheduled jobs."))
            <h2>Certificates</h2>
            \(Self.table(["partner", "role", "subject", "expires", "days left"], certificates, id: "certificates", empty: "No partner certificates configured."))
            <p class="muted">Counts and rates are since the daemon started (the counters of <code>/metrics</code>, \(String(format: "%.0f", minutes)) min ago); last exchanges are read from the log.</p>
            """
        return ConsolePage(title: "Overview", section: "overview", body: body, session: session).response()
    }
}
