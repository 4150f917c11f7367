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
            "paklog.yaml:2:3: storage.durabilty: unknown key 'durabilty' (did you mean 'durability'?); allowed here: path, durability, idempotencyRetention",
            "paklog.yaml:4:9: http.port: expected an integer, found string 'eighty'",
        ])
    }

    @Test func idempotencyRetentionTakesDaysAndDefaultsToThirty() throws {
        let config = try loader.load(text: "storage:\n  idempotencyRetention: 7d\n", file: "paklog.yaml", baseDirectory: "/tmp")
        #expect(config.storage.idempotencyRetention == .seconds(7 * 86_400))
        let plain = try loader.load(text: "storage:\n  durability: normal\n", file: "paklog.yaml", baseDirectory: "/tmp")
        #expect(plain.storage.idempotencyRetention == .seconds(30 * 86_400))
        #expect(problems("storage:\n  idempotencyRetention: 10m\n").count == 1)
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

    @Test func topicsAreCategoriesAndRoutesWriteOnlyToTopicsOfTheirOwn() {
        let yaml = """
            sources:
              shop:
                type: webhook
                path: /shop
                signature: {scheme: none}
            routes:
              - name: r1
                from: shop
                steps:
                  - to: [topic:orders, topic:inbox-events, topic:order-events]
              - name: r2
                from: topic:order-events
                steps:
                  - wireTap: [topic:order-events]
              - name: r3
                from: topic:order
                steps:
                  - to: [topic:audit-events]
            """
        #expect(problems(yaml) == [
            "paklog.yaml:10:13: routes[0].steps[0].to: 'orders' is not a topic: a topic is named <category>-events, such as order-events",
            "paklog.yaml:10:13: routes[0].steps[0].to: 'topic:inbox-events': the category 'inbox' is the engine's own; routes write to topics such as order-events",
            "paklog.yaml:14:18: routes[1].steps[0].wireTap: 'topic:order-events': route 'r2' reads order-events and would read its own output again, forever",
            "paklog.yaml:15:5: routes[2]: route 'r3': from: 'order' is not a topic: a topic is named <category>-events, such as order-events",
        ])
    }

    @Test func namesBecomeStreamNamesAndAreCheckedAsSuch() {
        let yaml = """
            sources:
              events:
                type: webhook
                path: /a
                signature: {scheme: none}
              "a b":
                type: webhook
                path: /b
                signature: {scheme: none}
            routes:
              - name: events
                from: topic:order-events
                steps: [{to: [topic:audit-events]}]
            """
        #expect(problems(yaml) == [
            "paklog.yaml:3:5: sources.events: the name 'events' is reserved: '<category>-events' names a topic, the whole category, not one stream",
            "paklog.yaml:7:5: sources.a b: the name 'a b' must start with a letter or digit and hold only letters, digits, '.', '_' and '-'",
            "paklog.yaml:11:11: routes[0].name: the name 'events' is reserved: '<category>-events' names a topic, the whole category, not one stream",
        ])
    }

    @Test func twoSourcesOnOnePathAreRefused() async throws {
        let yaml = """
            sources:
              a:
                type: webhook
                path: /same
                signature: {scheme: none}
              b:
                type: webhook
                path: /same
                signature: {scheme: none}
            """
        let config = try loader.load(text: yaml, file: "paklog.yaml", baseDirectory: "/tmp")
        do {
            try await ConfigurationCheck.validate(config)
            Issue.record("two sources on one path were accepted")
        } catch {
            #expect("\(error)" == "paklog.yaml:7:5: sources.b: source 'b' answers /same, which source 'a' answers already")
        }
    }
}
