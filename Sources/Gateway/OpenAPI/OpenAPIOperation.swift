import HTTPTypes
import JSON

/// One operation of the REST API as the OpenAPI document describes it (OpenAPI 3.1 §4.8.10):
/// a method on a path template (`{name}` for a parameter), what it takes and what it answers.
/// The responses every authenticated route has (401, 403, 413, 429; 304 for a JSON query) are
/// added by `OpenAPIDocument`, from the chain that really answers them.
struct OpenAPIOperation: Sendable {
    var method: HTTPRequest.Method
    /// The path template, `/api/v1/orders/{id}`.
    var path: String
    var summary: String
    var description: String?
    var parameters: [JSONValue] = []
    var requestBody: JSONValue?
    /// By status code.
    var responses: [(String, JSONValue)]
    var deprecated = false
    /// Answered without credentials (the health checks only).
    var isPublic = false

    init(_ method: HTTPRequest.Method, _ path: String, _ summary: String, description: String? = nil, parameters: [JSONValue] = [],
         requestBody: JSONValue? = nil, responses: [(String, JSONValue)], deprecated: Bool = false, isPublic: Bool = false) {
        self.method = method
        self.path = path
        self.summary = summary
        self.description = description
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
        self.deprecated = deprecated
        self.isPublic = isPublic
    }

    /// A concrete path the template matches (each parameter replaced by `x`), for looking up the
    /// route's scope rule.
    var examplePath: String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? "x" : String($0) }.joined(separator: "/")
    }

    /// `getApiV1OrdersId`: the method and the path's words, unique per operation.
    var operationId: String {
        let words = path.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return method.rawValue.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// Building blocks of the document's JSON.
enum OpenAPI {
    /// A reference to a schema under `components/schemas`.
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        var o = JSONValue.object([:]).objectValue!
        for (key, value) in pairs { o[key] = value }
        return .object(o)
    }

    /// An object schema with `properties`, of which `required` must be there.
    static func objectSchema(_ properties: [(String, JSONValue)], required: [String]? = nil) -> JSONValue {
        object([("type", "object"), ("properties", object(properties)), ("required", .array((required ?? properties.map(\.0)).map { .string($0) }))])
    }

    static func array(of items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let anyObject: JSONValue = ["type": "object"]
    static func nullable(_ type: String) -> JSONValue { ["type": [.string(type), "null"]] }

    /// A JSON answer.
    static func json(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    /// `{"error": "…"}`, the JSON error of the API's handlers.
    static func error(_ description: String) -> JSONValue { json(description, ref("Error")) }

    /// A text answer (the chain's own refusals are plain text).
    static func text(_ description: String, mediaType: String = "text/plain", headers: [(String, JSONValue)] = []) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("description", .string(description)), ("content", object([(mediaType, ["schema": string])]))]
        if !headers.isEmpty { pairs.append(("headers", object(headers))) }
        return object(pairs)
    }

    static func header(_ description: String, _ schema: JSONValue = string) -> JSONValue {
        ["description": .string(description), "schema": schema]
    }

    static func parameter(_ location: String, _ name: String, _ description: String, _ schema: JSONValue = string, required: Bool = false,
                          example: String? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("name", .string(name)), ("in", .string(location)), ("description", .string(description)),
                                            ("required", .bool(required || location == "path")), ("schema", schema)]
        if let example { pairs.append(("example", .string(example))) }
        return object(pairs)
    }

    static func path(_ name: String, _ description: String, _ schema: JSONValue = string, example: String? = nil) -> JSONValue {
        parameter("path", name, description, schema, example: example)
    }
    static func query(_ name: String, _ description: String, _ schema: JSONValue = string) -> JSONValue { parameter("query", name, description, schema) }
}
