import Testing

@testable import WebhookAdapter

private let secret = WebhookSecret(utf8: "request-check-secret")

private func check(
    methods: [String] = ["POST"], maxBodyBytes: Int = WebhookSourceConfiguration.defaultMaxBodyBytes,
    contentTypes: [String] = WebhookSourceConfiguration.defaultContentTypes
) -> WebhookRequestCheck {
    WebhookRequestCheck(configuration: WebhookSourceConfiguration(
        path: "/webhooks/shop", methods: methods, maxBodyBytes: maxBodyBytes, contentTypes: contentTypes,
        signature: .hmac(.shopify(secrets: [secret]))))
}

@Suite("Webhook request checks (405, 415, 413)")
struct WebhookRequestCheckTests {
    @Test("a POST of JSON within the limit passes")
    func acceptableRequestPasses() {
        #expect(check().check(method: "POST", contentType: "application/json", contentLength: 120, bodySize: 120) == nil)
    }

    @Test("media type matching ignores parameters, case and optional whitespace", arguments: [
        "application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8", " application/json ",
    ])
    func mediaTypeMatchingIsLenientAboutForm(contentType: String) {
        #expect(check().check(method: "POST", contentType: contentType, contentLength: 2) == nil)
    }

    @Test("a GET is answered 405 with an Allow header")
    func wrongMethod() {
        let rejection = check().check(method: "GET", contentType: nil, contentLength: nil)
        #expect(rejection == WebhookRequestRejection(
            status: 405, message: "method GET is not allowed; use POST", headers: [("Allow", "POST")]))
    }

    @Test("a wrong media type is answered 415 naming the accepted types")
    func wrongContentType() {
        let rejection = check(contentTypes: ["application/json", "application/xml"])
            .check(method: "POST", contentType: "text/plain; charset=utf-8", contentLength: 10)
        #expect(rejection?.status == 415)
        #expect(rejection?.message == "Content-Type text/plain is not accepted; accepted: application/json, application/xml")
        #expect(rejection?.headers.first?.name == "Accept-Post")
        #expect(rejection?.headers.first?.value == "application/json, application/xml")
    }

    @Test("a missing Content-Type is answered 415")
    func missingContentType() {
        let rejection = check().check(method: "POST", contentType: nil, contentLength: 10)
        #expect(rejection?.status == 415)
        #expect(rejection?.message == "request has no Content-Type; accepted: application/json")
    }

    @Test("a Content-Type that is not type/subtype is answered 415")
    func malformedContentType() {
        let rejection = check().check(method: "POST", contentType: "json", contentLength: 10)
        #expect(rejection?.status == 415)
        #expect(rejection?.message == "Content-Type 'json' is not a media type; accepted: application/json")
    }

    @Test("configured ranges type/* and */* match")
    func wildcardRanges() {
        #expect(check(contentTypes: ["application/*"]).check(method: "POST", contentType: "application/xml", contentLength: 1) == nil)
        #expect(check(contentTypes: ["*/*"]).check(method: "POST", contentType: "text/csv", contentLength: 1) == nil)
        #expect(check(contentTypes: ["application/*"]).check(method: "POST", contentType: "text/xml", contentLength: 1)?.status == 415)
    }

    @Test("a configured structured-suffix range application/*+json matches +json subtypes only")
    func suffixRange() {
        let suffixCheck = check(contentTypes: ["application/*+json"])
        #expect(suffixCheck.check(method: "POST", contentType: "application/vnd.api+json", contentLength: 1) == nil)
        #expect(suffixCheck.check(method: "POST", contentType: "application/json", contentLength: 1)?.status == 415)
    }

    @Test("a declared Content-Length over the limit is answered 413 naming the limit")
    func oversizeContentLength() {
        let rejection = check(maxBodyBytes: 1_048_576)
            .check(method: "POST", contentType: "application/json", contentLength: 1_048_577)
        #expect(rejection == WebhookRequestRejection(
            status: 413, message: "Content-Length 1048577 exceeds the limit of 1048576 bytes", headers: []))
    }

    @Test("a body that grows past the limit without a Content-Length is answered 413")
    func oversizeBodyWithoutLength() {
        let rejection = check(maxBodyBytes: 100).check(method: "POST", contentType: "application/json", contentLength: nil, bodySize: 101)
        #expect(rejection?.status == 413)
        #expect(rejection?.message == "body of at least 101 bytes exceeds the limit of 100 bytes")
    }

    @Test("a body exactly at the limit passes")
    func bodyAtLimitPasses() {
        #expect(check(maxBodyBytes: 100).check(method: "POST", contentType: "application/json", contentLength: 100, bodySize: 100) == nil)
    }

    @Test("the method is checked before the media type and the size")
    func checkOrder() {
        let rejection = check(maxBodyBytes: 1).check(method: "PUT", contentType: "text/plain", contentLength: 5)
        #expect(rejection?.status == 405)
        let second = check(maxBodyBytes: 1).check(method: "POST", contentType: "text/plain", contentLength: 5)
        #expect(second?.status == 415)
    }
}

@Suite("Webhook source configuration")
struct WebhookSourceConfigurationTests {
    @Test("defaults: POST, 1 MiB, application/json")
    func defaults() {
        let configuration = WebhookSourceConfiguration(path: "/hooks/x", signature: .none)
        #expect(configuration.methods == ["POST"])
        #expect(configuration.maxBodyBytes == 1_048_576)
        #expect(configuration.contentTypes == ["application/json"])
        #expect(configuration.idempotencyKey == nil)
    }

    @Test("a Standard Webhooks source takes webhook-id as idempotency key unless configured otherwise")
    func standardWebhooksIdempotencyDefault() {
        let scheme = WebhookSignatureScheme.standardWebhooks(.init(secrets: [secret]))
        #expect(WebhookSourceConfiguration(path: "/a", signature: scheme).effectiveIdempotencyKey == .header("webhook-id"))
        #expect(WebhookSourceConfiguration(path: "/a", signature: scheme, idempotencyKey: .expression("body.id"))
            .effectiveIdempotencyKey == .expression("body.id"))
        #expect(WebhookSourceConfiguration(path: "/a", signature: .hmac(.shopify(secrets: [secret])))
            .effectiveIdempotencyKey == nil)
    }

    @Test("a valid configuration passes validation")
    func validConfiguration() throws {
        try WebhookSourceConfiguration(
            path: "/webhooks/shopify", contentTypes: ["application/json", "application/*+json"],
            signature: .hmac(.shopify(secrets: [secret])), idempotencyKey: .header("X-Shopify-Webhook-Id")
        ).validate()
    }

    @Test("invalid configurations are refused with a named reason", arguments: [
        (WebhookSourceConfiguration(path: "webhooks", signature: .none), WebhookConfigurationError.invalidPath("webhooks")),
        (WebhookSourceConfiguration(path: "/a?b", signature: .none), .invalidPath("/a?b")),
        (WebhookSourceConfiguration(path: "/a", maxBodyBytes: 0, signature: .none), .invalidMaxBodyBytes(0)),
        (WebhookSourceConfiguration(path: "/a", contentTypes: [], signature: .none), .noContentTypes),
        (WebhookSourceConfiguration(path: "/a", contentTypes: ["json"], signature: .none), .invalidContentType("json")),
        (WebhookSourceConfiguration(path: "/a", contentTypes: ["*/json"], signature: .none), .invalidContentType("*/json")),
        (WebhookSourceConfiguration(path: "/a", contentTypes: ["application/js*n"], signature: .none),
         .invalidContentType("application/js*n")),
        (WebhookSourceConfiguration(path: "/a", methods: [], signature: .none), .noMethods),
        (WebhookSourceConfiguration(path: "/a", methods: ["PO ST"], signature: .none), .invalidMethod("PO ST")),
        (WebhookSourceConfiguration(path: "/a", signature: .none, idempotencyKey: .header("")), .invalidHeaderName("")),
        (WebhookSourceConfiguration(path: "/a", signature: .none, idempotencyKey: .expression(" ")), .emptyIdempotencyExpression),
        (WebhookSourceConfiguration(path: "/a", signature: .hmac(.shopify(secrets: []))), .noSecrets(scheme: "hmac")),
    ])
    func invalidConfigurations(configuration: WebhookSourceConfiguration, expected: WebhookConfigurationError) {
        #expect(throws: expected) { try configuration.validate() }
    }
}
