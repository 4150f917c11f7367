import Foundation

/// The configuration file of an end-to-end test: the quickstart's `orders` source and route (the
/// shipped mapping, by absolute path into the checkout), on a free port with its own store, and
/// optionally the `receiver` endpoint with redelivery and breaker settings fast enough for a test.
struct EndToEndConfiguration {
    /// The quickstart's documented test secret (as in DefaultConfiguration.swift; repeated here
    /// because the test target does not link the PakLog module).
    static let sourceSecret = "whsec_cGFrbG9nLXF1aWNrc3RhcnQtc2VjcmV0LWRvLW5vdC11c2U="
    static let webhookPath = "/webhooks/orders"

    var port: Int
    var storePath: String
    var maxBodyBytes = 1_048_576
    /// The receiver endpoint; without it the route's only target is `topic:order-events`.
    var receiver: Receiver?

    struct Receiver {
        var url: String
        var secret: String
        var maximumRedeliveries = 10
        var redeliveryDelay = "100ms"
        var backOffMultiplier = 2
        var maximumRedeliveryDelay = "1s"
        var timeout = "5s"
        var maximumConcurrentCalls = 8
        var slidingWindowSize = 20
        var minimumNumberOfCalls = 10
        var failureRateThreshold = 50
        var waitDurationInOpenState = "1s"
        var permittedNumberOfCallsInHalfOpenState = 3
        /// The endpoint's `orderingKey` expression (none: no ordered delivery).
        var orderingKey: String?
    }

    static var mappingPath: String {
        BuiltProducts.repositoryRoot.appendingPathComponent("Mappings/examples/order-to-canonical.yaml").path
    }

    var webhookURL: String { "http://127.0.0.1:\(port)\(Self.webhookPath)" }

    var yaml: String {
        var text = """
            storage:
              path: \(storePath)
              durability: full
            http:
              host: 127.0.0.1
              port: \(port)
              apiTokens: ["end-to-end-test-token"]
            logging:
              level: info
              format: json
            sources:
              orders:
                type: webhook
                path: \(Self.webhookPath)
                maxBodyBytes: \(maxBodyBytes)
                contentTypes: [application/json]
                signature:
                  scheme: standard-webhooks
                  secrets:
                    - \(Self.sourceSecret)
                  tolerance: 5m
                idempotencyKey:
                  header: webhook-id

            """
        if let r = receiver {
            text += """
                endpoints:
                  receiver:
                    type: http
                    url: \(r.url)
                    signing:
                      scheme: standard-webhooks
                      secret: \(r.secret)
                    timeout: \(r.timeout)
                    connectTimeout: 1s
                    maximumConcurrentCalls: \(r.maximumConcurrentCalls)\(r.orderingKey.map { "\n    orderingKey: '\($0)'" } ?? "")
                    redelivery:
                      maximumRedeliveries: \(r.maximumRedeliveries)
                      redeliveryDelay: \(r.redeliveryDelay)
                      backOffMultiplier: \(r.backOffMultiplier)
                      maximumRedeliveryDelay: \(r.maximumRedeliveryDelay)
                      jitter: 0.2
                    circuitBreaker:
                      slidingWindowType: COUNT_BASED
                      slidingWindowSize: \(r.slidingWindowSize)
                      minimumNumberOfCalls: \(r.minimumNumberOfCalls)
                      failureRateThreshold: \(r.failureRateThreshold)
                      waitDurationInOpenState: \(r.waitDurationInOpenState)
                      permittedNumberOfCallsInHalfOpenState: \(r.permittedNumberOfCallsInHalfOpenState)

                """
        }
        let targets = receiver == nil ? "[topic:order-events]" : "[topic:order-events, endpoint:receiver]"
        text += """
            routes:
              - name: orders-to-canonical
                from: orders
                steps:
                  - transform: \(Self.mappingPath)
                  - to: \(targets)

            """
        return text
    }
}
