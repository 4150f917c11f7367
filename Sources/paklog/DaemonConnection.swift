import ArgumentParser
import Foundation
import HTTPClient

/// How a command reaches the running daemon: its REST API (bearer token), so every change goes
/// through the daemon's own writer. Shared by `paklog dlq` and `paklog command`.
struct DaemonConnection: ParsableArguments {
    @Option(help: "The daemon's base URL (default: $PAKLOG_URL, else http://127.0.0.1:8080).")
    var url: String?

    @Option(help: "API bearer token (default: $PAKLOG_API_TOKEN).")
    var token: String?

    /// Calls the API and returns the answer's body, printed unless `quiet`; a non-2xx answer is
    /// printed to standard error and exits 1.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, body: [UInt8] = [], quiet: Bool = false) async throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = url ?? environment["PAKLOG_URL"] ?? "http://127.0.0.1:8080"
        guard let token = token ?? environment["PAKLOG_API_TOKEN"], !token.isEmpty else {
            throw ValidationError("an API token is needed: --token or $PAKLOG_API_TOKEN (one of http.apiTokens)")
        }
        let client = HTTPClient()
        defer { Task { await client.shutdown() } }
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        if !body.isEmpty { headers.add(name: "Content-Type", value: "application/json") }
        let response: HTTPResponse
        do {
            response = try await client.execute(HTTPRequest(method: method, url: base + path, headers: headers, body: body))
        } catch {
            throw ValidationError("cannot reach the daemon at \(base): \(error)")
        }
        let text = String(decoding: response.body, as: UTF8.self)
        if (200..<300).contains(response.status) {
            if !quiet { print(text) }
            return text
        } else {
            FileHandle.standardError.write(Data("HTTP \(response.status): \(text)\n".utf8))
            throw ExitCode(1)
        }
    }
}
