import Testing

@testable import HTTPClient

@Suite("Request validation")
struct RequestValidationTests {
    @Test("refuses a header value with CR LF and does not echo the value")
    func headerInjection() async {
        let client = HTTPClient()
        let request = HTTPRequest(url: "http://127.0.0.1:9/", headers: ["X-Token": "secret\r\nX-Evil: 1"])
        let error = await #expect(throws: HTTPClientError.self) { try await client.execute(request) }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.description.contains("secret") == false)
        #expect(error?.description.contains("X-Token") == true)
        await client.shutdown()
    }

    @Test("refuses a header name that is not a token")
    func badHeaderName() {
        let request = HTTPRequest(url: "http://127.0.0.1/", headers: ["Bad Name": "v"])
        #expect(RequestValidation.problem(in: request)?.contains("header field 0") == true)
    }

    @Test("refuses a method that is not a token")
    func badMethod() {
        let request = HTTPRequest(method: "GET /x", url: "http://127.0.0.1/")
        #expect(RequestValidation.problem(in: request) != nil)
    }

    @Test("refuses a URL with a space and names the byte")
    func urlWithSpace() {
        let request = HTTPRequest(url: "http://host/a b")
        #expect(RequestValidation.problem(in: request) == "URL contains a control character or space at byte 13")
    }

    @Test("refuses schemes other than http and https")
    func otherScheme() async {
        let client = HTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: "file:///etc/passwd"))
        }
        #expect(error?.kind == .invalidRequest)
        await client.shutdown()
    }
}
