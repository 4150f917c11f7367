import EventStore
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /api/v1/events/stream`: the log as it grows, as Server-Sent Events (WHATWG HTML
/// §9.2): each event's `id` is its global position, its `event` its type, its `data` the line
/// `paklog events read` prints. `?category=order` (repeatable) or `?stream=order-4711` filters;
/// a client that reconnects with `Last-Event-ID` (or `?after=N`) resumes after that position, so
/// nothing is missed or repeated; a comment line every `?heartbeat=` seconds (default 15) keeps
/// proxies from closing an idle stream. `?names=false` leaves out the `event:` line, so that a
/// browser's `EventSource` gets every event through `onmessage` (it has no "any name" listener).
/// API keys' own events (`apikey-…`) are left out: `paklog keys list` shows keys.
struct EventStreamRoutes: GatewayRouteProvider {
    let store: any EventStore

    func addAPIRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("v1/events/stream") { request, _ in
            let query = request.uri.queryParameters
            let categories = query[values: "category"].map(String.init)
            let stream = query["stream"].map(String.init)
            let filter: EventFilter = if let stream { .category(StreamName(stream).category) } else if !categories.isEmpty { .categories(Set(categories)) } else { .all }
            let resume = request.headers[HTTPField.Name("Last-Event-ID")!] ?? query["after"].map(String.init) ?? "0"
            guard let after = Int64(resume.trimmingCharacters(in: .whitespaces)), after >= 0 else {
                return jsonError(.badRequest, "Last-Event-ID (or after) is a position in the log, got '\(resume)'")
            }
            let named = query["names"] != "false"
            let heartbeat = min(60, max(1, query["heartbeat"].flatMap { Double(String($0)) } ?? 15))
            let store = self.store
            let body = ResponseBody { writer in
                let subscription = store.subscribe(filter: filter, pageSize: 256, startingAfter: after, pollInterval: .milliseconds(Int64(heartbeat * 1000)))
                var buffer = ByteBuffer(string: "retry: 2000\n\n")
                do {
                    try await writer.write(buffer)
                    // A stream never ends by itself: it ends when the daemon stops (graceful
                    // shutdown waits for open answers, so it must), or when the client goes.
                    // Stopping the subscription ends the loop (nextPage gives nil); the client
                    // resumes with Last-Event-ID.
                    try await withGracefulShutdownHandler {
                        while let events = try await subscription.nextPage(waitingAtMost: .milliseconds(Int64(heartbeat * 1000))) {
                            buffer.clear()
                            if events.isEmpty { buffer.writeString(": heartbeat\n\n") }
                            // Keys' records (salts and hashes) are not for every `events:read` key.
                            for e in events where (stream == nil || e.stream.rawValue == stream) && e.stream.category != APIKeyEvents.category {
                                buffer.writeString("id: \(e.position)\n" + (named ? "event: \(e.type)\n" : "") + "data: \(EventLogPrinter.line(e))\n\n")
                            }
                            if buffer.readableBytes > 0 { try await writer.write(buffer) }
                        }
                    } onGracefulShutdown: {
                        Task { try? await subscription.stop() }
                    }
                } catch {
                    try? await subscription.stop()
                    throw error  // the client went away
                }
                try? await subscription.stop()
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }
}
