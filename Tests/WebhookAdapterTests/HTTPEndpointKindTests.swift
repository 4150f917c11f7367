import AdapterKit
import HTTPClient
import Logging
import Messaging
import StrictYAML
import Testing
@testable import WebhookAdapter

/// The `http` endpoint kind reads its section into the engine's `HTTPEndpoint`.
@Suite("The http endpoint kind")
struct HTTPEndpointKindTests {
    func settings(_ yaml: String, environment: [String: String] = [:]) throws -> HTTPEndpointSettings? {
        let reader = try YAMLReader(text: yaml, file: "endpoint.yaml")
        let kind = HTTPEndpointKind()
        guard let mapping = reader.root.mapping(keys: ["type"] + kind.keys) else { return nil }
        let section = ConfigurationSection(name: "erp", mapping: mapping, secrets: SecretResolver(environment: environment, baseDirectory: "/tmp"))
        let read = kind.configuration(section) as? HTTPEndpointSettings
        try reader.finish()
        return read
    }

    @Test("timeouts, headers and the URL reach the endpoint; connectTimeout included")
    func settingsReachTheEndpoint() async throws {
        let read = try #require(try settings("""
            type: http
            url: https://erp.example/orders
            headers: {X-Api-Key: "${env:ERP_KEY}"}
            timeout: 7s
            connectTimeout: 250ms
            """, environment: ["ERP_KEY": "k-123"]))
        #expect(read.disabledReason == nil)
        let client = HTTPClient()
        let endpoint = try #require(try read.makeEndpoint(EndpointContext(name: "erp", httpClient: client, logger: Logger(label: "test"))) as? HTTPEndpoint)
        #expect(endpoint.configuration.url == "https://erp.example/orders")
        #expect(endpoint.configuration.timeout == .seconds(7))
        #expect(endpoint.configuration.connectTimeout == .milliseconds(250))
        #expect(endpoint.configuration.headers == ["X-Api-Key": "k-123"])
        await client.shutdown()
    }

    @Test("a header value may hold references inside its text (Bearer ${env:TOKEN}); the printed secret names them, not their values")
    func referencesInsideAHeaderValue() async throws {
        let read = try #require(try settings("""
            type: http
            url: https://erp.example/orders
            headers: {Authorization: "Bearer ${env:ERP_TOKEN}", X-Pair: "${env:A}:${env:B}"}
            """, environment: ["ERP_TOKEN": "t-1", "A": "a", "B": "b"]))
        let headers = Dictionary(uniqueKeysWithValues: read.headers.map { ($0.0, $0.1) })
        #expect(headers["Authorization"]?.reveal() == "Bearer t-1")
        #expect(headers["X-Pair"]?.reveal() == "a:b")
        #expect("\(headers["Authorization"]!)" == "<secret from inline with env:ERP_TOKEN>")
        #expect(throws: (any Error).self) {
            try SecretResolver(environment: [:], baseDirectory: "/tmp").resolve("Bearer ${env:MISSING}")
        }
        #expect(throws: (any Error).self) {
            try SecretResolver(environment: [:], baseDirectory: "/tmp").resolve("Bearer ${oops}")
        }
    }

    @Test("a URL from an unset optional variable disables the endpoint")
    func unsetOptionalURLDisables() throws {
        let read = try #require(try settings("""
            type: http
            url: ${env:NOT_SET?}
            """))
        #expect(read.disabledReason == "its URL comes from an unset variable")
    }

    @Test("a URL that is not http(s) is refused at its line")
    func wrongScheme() {
        #expect(throws: YAMLDiagnostics([YAMLDiagnostic(file: "endpoint.yaml", line: 2, column: 6, keyPath: "url", message: "'ftp://x' is not an http or https URL")])) {
            _ = try settings("type: http\nurl: ftp://x\n")
        }
    }
}
