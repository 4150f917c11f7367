import HTTPTypes
import JSON

/// The OpenAPI 3.1 document of the REST API (https://spec.openapis.org/oas/v3.1.0), served at
/// `GET /api/v1/openapi.json`. Built here, in one place, from the operations of each part of the
/// API (`OpenAPIDocument+…`); each operation's security names the scope its `APIScopes` rule
/// asks for, and the chain's own answers (401, 403, 413, 429, 304) are added to every
/// authenticated operation as the middleware really gives them: plain text.
///
/// Kept true by tests: every `APIScopes` rule has an operation and every operation a rule
/// (GatewayTests), the document validates with openapi-spec-validator, and schemathesis checks
/// the live daemon's answers against it (IntegrationTests).
public enum OpenAPIDocument {
    /// The document.
    public static let json: JSONValue = build()

    /// The document's bytes, as served.
    public static let serialized: [UInt8] = json.serialized()

    /// Every documented operation.
    static var operations: [OpenAPIOperation] { gatewayOperations + warehouseOperations + readModelOperations + deadLetterOperations }

    /// The operations as (method, path template) pairs, for the coverage test.
    public static var documentedRoutes: [(method: HTTPRequest.Method, path: String, isPublic: Bool)] {
        operations.map { ($0.method, $0.path, $0.isPublic) }
    }

    static func build() -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for operation in operations {
            let entry = (operation.method.rawValue.lowercased(), document(operation))
            if let i = paths.firstIndex(where: { $0.0 == operation.path }) { paths[i].1.append(entry) } else { paths.append((operation.path, [entry])) }
        }
        return OpenAPI.object([
            ("openapi", "3.1.0"),
            ("info", [
                "title": "PakLog Gateway REST API",
                "version": "1",
                "description": """
                    The warehouse core's commands and queries, the dead-letter console and the live event stream. \
                    Every operation but the health checks needs `Authorization: Bearer <token>`: an API key \
                    (`paklog keys create`), one of `http.apiTokens` (admin), or a JWT (`http.jwt`). Each operation \
                    names the scope it asks for (`admin` may call every one). Refusals of the chain (401, 403, 413, 429) \
                    are plain text; the handlers' errors are JSON.
                    """,
            ]),
            ("servers", [["url": "/"]]),
            ("security", [["bearer": []]]),
            ("paths", OpenAPI.object(paths.map { ($0.0, OpenAPI.object($0.1)) })),
            ("components", ["securitySchemes": ["bearer": [
                "type": "http", "scheme": "bearer", "bearerFormat": "API key (plk_…) or JWT",
                "description": "An API key, an http.apiTokens token, or a JWT signed by a key of http.jwt (keys or jwks)",
            ]], "schemas": schemas]),
        ])
    }

    static func document(_ operation: OpenAPIOperation) -> JSONValue {
        var responses = operation.responses
        var pairs: [(String, JSONValue)] = [("operationId", .string(operation.operationId)), ("summary", .string(operation.summary))]
        if let description = operation.description { pairs.append(("description", .string(description))) }
        if !operation.parameters.isEmpty { pairs.append(("parameters", .array(operation.parameters))) }
        if let body = operation.requestBody { pairs.append(("requestBody", body)) }
        if operation.isPublic {
            pairs.append(("security", []))
        } else {
            let scope = APIScopes.rule(method: operation.method, path: operation.examplePath)?.scope ?? APIScopes.admin
            pairs.append(("security", [["bearer": scope == APIScopes.authenticated ? [] : [.string(scope)]]]))
            pairs.append(("x-paklog-scope", .string(scope)))
            if operation.method == .get, responses.contains(where: { $0.0 == "200" && $0.1["content"]?["application/json"] != nil }) {
                responses.append(("304", ["description": "Not Modified: the If-None-Match names the current ETag (no body)"]))
            }
            responses += chainResponses(scope: scope)
        }
        pairs.append(("responses", OpenAPI.object(responses)))
        if operation.deprecated { pairs.append(("deprecated", true)) }
        return OpenAPI.object(pairs)
    }

    /// What `BearerTokenMiddleware` and `BodySizeLimitMiddleware` answer themselves.
    static func chainResponses(scope: String) -> [(String, JSONValue)] {
        var responses: [(String, JSONValue)] = [
            ("401", OpenAPI.text("No, or an invalid, bearer token", headers: [("WWW-Authenticate", OpenAPI.header("Bearer realm=\"paklog\""))])),
        ]
        if scope != APIScopes.authenticated {
            responses.append(("403", OpenAPI.text("The token lacks the scope \(scope)",
                                                  headers: [("WWW-Authenticate", OpenAPI.header("Bearer error=\"insufficient_scope\" with the scope"))])))
        }
        responses.append(("413", OpenAPI.text("The request body is larger than http.maxBodyBytes (or http.maxImportBytes for imports)")))
        responses.append(("429", OpenAPI.text("This credential's rate limit for the route class is reached",
                                              headers: [("Retry-After", OpenAPI.header("Seconds until a request passes", OpenAPI.integer))])))
        return responses
    }
}
