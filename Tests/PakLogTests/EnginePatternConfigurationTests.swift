import PakLog
import StrictYAML
import Testing
import WebhookAdapter

/// The configuration of the engine patterns: InOut endpoints and `from: reply:<endpoint>`,
/// acknowledgments, ordering keys, methods, URL templates and query parameters.
@Suite("Configuration of request-reply, acknowledgments and ordering")
struct EnginePatternConfigurationTests {
    let loader = ConfigurationLoader(environment: ["CARRIER_KEY": "k-123"])

    static let valid = """
        sources:
          shop:
            type: webhook
            path: /webhooks/shop
            signature: {scheme: standard-webhooks, secrets: ["whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ="]}
        endpoints:
          carrier:
            type: http
            url: "http://127.0.0.1:9/labels/{body.orderId}"
            method: PUT
            query: {service: "{body.service}", test: "true"}
            headers: {X-Api-Key: "${env:CARRIER_KEY}"}
            exchangePattern: InOut
            orderingKey: body.orderId
            onDeadLetter: hold
          partner:
            type: http
            url: http://127.0.0.1:9/as2
            acknowledgment: {key: reply.body.jobId, timeout: 10m, onTimeout: deadLetter}
        routes:
          - name: labels
            from: shop
            steps:
              - to: [{endpoint: carrier, orderingKey: body.customer}, partner]
          - name: label-replies
            from: reply:carrier
            steps:
              - to: topic:tracking-events as LabelCreated
          - name: acks
            from: shop
            when: headers.kind = 'ack'
            steps:
              - to: acknowledge:partner
        """

    @Test func theDocumentedKeysLoadAndBuild() async throws {
        let config = try loader.load(text: Self.valid, file: "paklog.yaml", baseDirectory: "/tmp")
        let carrier = try #require(config.endpoints.first { $0.name == "carrier" })
        #expect(carrier.exchangePattern == "InOut")
        #expect(carrier.onDeadLetter == "hold")
        #expect(carrier.orderingKey?.source == "body.orderId")
        let http = try #require(carrier.configuration as? HTTPEndpointSettings)
        #expect(http.method == "PUT")
        #expect(http.query.map { "\($0.0)=\($0.1)" } == ["service={body.service}", "test=true"])
        let partner = try #require(config.endpoints.first { $0.name == "partner" })
        #expect(partner.acknowledgment?.timeout == .seconds(600))
        #expect(partner.acknowledgment?.onTimeout == "deadLetter")
        #expect(partner.acknowledgment?.key?.source == "reply.body.jobId")
        try await ConfigurationCheck.validate(config)
    }

    @Test func mistakesAreNamedWithTheirPlaces() {
        let yaml = Self.valid
            .replacingOccurrences(of: "from: reply:carrier", with: "from: reply:nowhere")
            .replacingOccurrences(of: "onTimeout: deadLetter", with: "onTimeout: panic")
            .replacingOccurrences(of: "to: acknowledge:partner", with: "to: acknowledge:stranger")
            .replacingOccurrences(of: "exchangePattern: InOut", with: "exchangePattern: InOutOut")
        var problems: [String] = []
        do { _ = try loader.load(text: yaml, file: "paklog.yaml", baseDirectory: "/tmp") } catch { problems = error.diagnostics.map(\.description) }
        #expect(problems.contains { $0.contains("exchangePattern") && $0.contains("'InOutOut' is not one of: InOnly, InOut") })
        #expect(problems.contains { $0.contains("onTimeout") && $0.contains("'panic' is not one of: redeliver, deadLetter") })
        #expect(problems.contains { $0.contains("route 'label-replies' is from 'reply:nowhere', but 'nowhere' is not a configured endpoint") })
        #expect(problems.contains { $0.contains("'acknowledge:stranger' is not a configured endpoint") })
    }

    @Test func anExpressionThatDoesNotCompileIsRefusedWithItsLine() async throws {
        let yaml = Self.valid.replacingOccurrences(of: "orderingKey: body.orderId", with: "orderingKey: body.(")
        let config = try loader.load(text: yaml, file: "paklog.yaml", baseDirectory: "/tmp")
        await #expect(throws: (any Error).self) { try await ConfigurationCheck.validate(config) }
        do { try await ConfigurationCheck.validate(config) } catch {
            #expect("\(error)".hasPrefix("paklog.yaml:14:18: endpoints.carrier.orderingKey: S0207"), "\(error)")
        }
    }
}
