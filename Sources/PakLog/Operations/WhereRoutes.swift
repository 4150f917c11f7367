import BusinessKeys
import Gateway
import Hummingbird
import JSON

/// `GET /api/v1/where?key=<value>[&kind=<kind>]`: "where is it?" — the timeline of a business
/// key across the log (`BusinessKeyIndex.lookup`): the inbound envelope, the mapping, commands,
/// domain events, deliveries and acknowledgments, ordered by position. 400 without a key or with
/// an unknown kind; a key nothing carries answers 200 with no entries (the index may not have
/// seen the newest events: `indexedThrough` says how far it is).
struct WhereRoutes: GatewayRouteProvider {
    let index: BusinessKeyIndex

    func addAPIRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("v1/where") { request, _ in
            let query = request.uri.queryParameters
            guard let key = query["key"].map(String.init), !key.trimmingCharacters(in: .whitespaces).isEmpty else {
                return jsonError(.badRequest, "where needs ?key=<business key> (an order number, webhook-id, X12 control number, AS2 Message-ID, tracking number, EPC …)")
            }
            var kind: BusinessKeyKind?
            if let text = query["kind"].map(String.init), !text.isEmpty {
                guard let k = BusinessKeyKind(rawValue: text) else {
                    return jsonError(.badRequest, "unknown kind '\(text)'; one of: \(BusinessKeyKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = k
            }
            let timeline = try await index.lookup(key, kind: kind)
            return jsonResponse(.ok, timeline.json.serialized(pretty: true))
        }
    }
}
