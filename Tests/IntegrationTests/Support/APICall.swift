import HTTPClient
import JSON

/// One call to the daemon's REST API with a bearer token: the status and the answer as JSON
/// (as a string when it is not JSON).
func apiCall(_ client: HTTPClient, port: Int, token: String, _ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil) async throws -> (Int, JSONValue) {
    var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
    if body != nil { headers.add(name: "Content-Type", value: "application/json") }
    let r = try await client.execute(HTTPRequest(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers, body: body?.serialized() ?? []))
    return (r.status, (try? JSONValue(parsing: r.body)) ?? .string(String(decoding: r.body, as: UTF8.self)))
}
