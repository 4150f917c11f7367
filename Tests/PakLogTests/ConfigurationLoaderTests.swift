import PakLog
import StrictYAML
import Testing
import WebhookAdapter

@Suite("Configuration loading")
struct ConfigurationLoaderTests {
    let loader = ConfigurationLoader(environment: ["SHOP_SECRET": "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ="])

    func problems(_ yaml: String) -> [String] {
        do {
            _ = try loader.load(text: yaml, file: "paklog.yaml", baseDirectory: "/tmp")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func aTypoAndAWrongTypeAreBothReportedWithTheirLines() {
        let yaml = """
            storage:
              durabilty: full
            http:
              port: eighty
            """
        #expect(problems(yaml) == [
            "paklog.yaml:2:3: storage.durabilty: unknown key 'durabilty' (did you mean 'durability'?); allowed here: path, durability",
            "paklog.yaml:4:9: http.port: expected an integer, found string 'eighty'",
        ])
    }

    @Test func theEmbeddedDefaultLoads() throws {
        let config = try ConfigurationSource.embeddedDefault.load(environment: [:])
        #expect(config.http.port == 8080)
        #expect(config.sources.map(\.name) == ["orders"])
        #expect(config.routes.map(\.name) == ["orders-to-canonical"])
        // With PAKLOG_RECEIVER_URL unset the receiver endpoint exists but is disabled.
        #expect((config.endpoints.first?.configuration as? HTTPEndpointSettings)?.url == nil)
        #expect(config.http.apiTokens.isEmpty)
    }

    @Test func secretsComeByReferenceAndNeverPrint() throws {
        let yaml = """
            sources:
              shop:
                type: webhook
                path: /webhooks/shop
                signature:
                  scheme: standard-webhooks
                  secrets: ["${env:SHOP_SECRET}"]
            """
        let config = try loader.load(text: yaml, file: "paklog.yaml", baseDirectory: "/tmp")
        let w = try #require(config.sources.first?.configuration as? WebhookSourceSettings)
        guard case .standardWebhooks(let secrets, _) = w.signature else {
            Issue.record("expected a standard-webhooks source")
            return
        }
        #expect(secrets.first?.reveal() == "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=")
        #expect("\(secrets)" == "[<secret from env:SHOP_SECRET>]")
    }

    @Test func anUnsetRequiredSecretIsAnErrorAtItsLine() {
        let yaml = """
            http:
              apiTokens:
                - ${env:NOT_SET_ANYWHERE}
            """
        #expect(problems(yaml) == ["paklog.yaml:3:7: http.apiTokens[0]: environment variable NOT_SET_ANYWHERE is not set"])
    }

    @Test func routesMustReferToExistingSourcesAndEndpoints() {
        let yaml = """
            routes:
              - name: r1
                from: nowhere
                steps:
                  - to: [endpoint:missing, topic:order-events]
            """
        let found = problems(yaml)
        #expect(found.count == 2)
        #expect(found.contains { $0.hasPrefix("paklog.yaml:2:5: routes[0]: route 'r1' is from 'nowhere'") })
        #expect(found.contains { $0.hasPrefix("paklog.yaml:5:13: routes[0].steps[0].to: 'endpoint:missing' is not a configured endpoint") })
    }

    @Test func aStepHasExactlyOneKind() {
        let yaml = """
            routes:
              - name: r1
                from: topic:order-events
                steps:
                  - split: "items"
                    to: [topic:x-events]
            """
        #expect(problems(yaml) == ["paklog.yaml:5:9: routes[0].steps[0]: a step has exactly one of: transform, split, aggregate, choice, recipientList, wireTap, filter, to"])
    }
}
