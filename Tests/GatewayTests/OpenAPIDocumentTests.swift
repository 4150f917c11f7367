import HTTPTypes
import JSON
import Testing
@testable import Gateway

/// The OpenAPI document against the route table of record, `APIScopes.rules`: a route added
/// without its documentation, or documentation of a route that has no rule, fails here.
@Suite("The OpenAPI document covers the API")
struct OpenAPIDocumentTests {
    /// A path with every parameter (`:id`, `{id}`) as `{}`.
    static func shape(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") || ($0.hasPrefix("{") && $0.hasSuffix("}")) ? "{}" : String($0) }.joined(separator: "/")
    }

    @Test func everyScopeRuleHasADocumentedOperation() {
        let documented = Set(OpenAPIDocument.documentedRoutes.map { "\($0.method.rawValue) \(Self.shape($0.path))" })
        let missing = APIScopes.rules.map { "\($0.method.rawValue) \(Self.shape($0.pattern))" }.filter { !documented.contains($0) }
        #expect(missing.isEmpty, "routes without documentation: \(missing)")
    }

    @Test func everyDocumentedOperationHasAScopeRuleOrIsAHealthCheck() {
        var unruled: [String] = []
        for route in OpenAPIDocument.documentedRoutes {
            let example = route.path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("{") ? "x" : String($0) }.joined(separator: "/")
            let rule = APIScopes.rule(method: route.method, path: example)
            if route.isPublic {
                #expect(rule == nil && ["/healthz", "/readyz"].contains(route.path), "\(route.path) is documented as public")
            } else if rule == nil {
                unruled.append("\(route.method.rawValue) \(route.path)")
            }
        }
        #expect(unruled.isEmpty, "documented operations no scope rule names: \(unruled)")
    }

    @Test func eachOperationNamesItsRulesScopeAndTheChainsRefusals() throws {
        let paths = try #require(OpenAPIDocument.json["paths"])
        let orders = try #require(paths["/api/v1/dlq/{endpoint}/{messageId}/replay"]?["post"])
        #expect(orders["security"] == [["bearer": ["dlq:replay"]]])
        let responses = try #require(orders["responses"]?.objectValue)
        for status in ["202", "401", "403", "404", "409", "413", "429"] { #expect(responses[status] != nil, "\(status)") }
        #expect(responses["401"]?["content"]?["text/plain"] != nil, "the chain's refusals are plain text")
        #expect(paths["/healthz"]?["get"]?["security"] == [], "the health checks need no token")
        #expect(paths["/api/v1/openapi.json"]?["get"]?["responses"]?["403"] == nil, "any key may read the document")
    }

    @Test func operationIdsAreUniqueAndTheVersionIs3_1() throws {
        let ids = OpenAPIDocument.operations.map(\.operationId)
        #expect(Set(ids).count == ids.count, "\(ids)")
        #expect(OpenAPIDocument.json["openapi"] == "3.1.0")
        // What is served parses back to the document.
        #expect(try JSONValue(parsing: OpenAPIDocument.serialized) == OpenAPIDocument.json)
    }
}
