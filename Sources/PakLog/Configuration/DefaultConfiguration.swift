/// The configuration `paklog serve` runs with when no `--config` is given: the quickstart of
/// README.md. It is compiled into the binary so that the daemon starts anywhere; `paklog config
/// default` prints it as a starting point for a real file.
public enum DefaultConfiguration {
    /// The documented test secret of the quickstart's `orders` source (Standard Webhooks format:
    /// `whsec_` + base64 of the key bytes "paklog-quickstart-secret-do-not-use"). Never use it in
    /// production: anyone who reads this file can sign webhooks with it.
    public static let quickstartSecret = "whsec_cGFrbG9nLXF1aWNrc3RhcnQtc2VjcmV0LWRvLW5vdC11c2U="

    public static let yaml = """
        # PakLog Gateway: the embedded default configuration (the README quickstart).
        storage:
          # $PAKLOG_DATA/paklog.sqlite, or ./data/paklog.sqlite when PAKLOG_DATA is unset
          durability: full
        http:
          host: 127.0.0.1
          port: 8080
          apiTokens:
            - ${env:PAKLOG_API_TOKEN?}
        logging:
          level: info
          format: auto
        sources:
          orders:
            type: webhook
            path: /webhooks/orders
            maxBodyBytes: 1048576
            contentTypes: [application/json]
            signature:
              scheme: standard-webhooks
              secrets:
                - \(quickstartSecret)
              tolerance: 5m
            idempotencyKey:
              header: webhook-id
        endpoints:
          receiver:
            type: http
            # Set PAKLOG_RECEIVER_URL to deliver canonical orders to another system as well.
            url: ${env:PAKLOG_RECEIVER_URL?}
            signing:
              scheme: standard-webhooks
              secret: ${env:PAKLOG_RECEIVER_SECRET?}
            timeout: 10s
            connectTimeout: 2s
            maximumConcurrentCalls: 8
            redelivery:
              maximumRedeliveries: 8
              redeliveryDelay: 500ms
              backOffMultiplier: 2
              maximumRedeliveryDelay: 30s
              jitter: 0.2
            circuitBreaker:
              slidingWindowType: COUNT_BASED
              slidingWindowSize: 20
              minimumNumberOfCalls: 10
              failureRateThreshold: 50
              waitDurationInOpenState: 5s
              permittedNumberOfCallsInHalfOpenState: 3
        routes:
          - name: orders-to-canonical
            from: orders
            steps:
              - transform: Mappings/examples/order-to-canonical.yaml
              - to: [topic:order-events as CanonicalOrder, endpoint:receiver]
        """
}
