import Testing

import HTTPClient

@Suite("Response size and redirects")
struct LimitsTests {
    @Test("a body within the limit arrives whole", arguments: [false, true])
    func largeBodyWithinLimit(chunked: Bool) async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let response = try await client.execute(
                HTTPRequest(url: server.url("/large?bytes=3000000&chunked=\(chunked ? 1 : 0)")))
            await client.shutdown()
            #expect(response.body.count == 3_000_000)
            #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
        }
    }

    @Test("a body over the limit fails with responseTooLarge", arguments: [false, true])
    func bodyOverLimit(chunked: Bool) async throws {
        try await withFaultServer { server in
            let client = HTTPClient(configuration: .init(maxResponseSize: 100_000))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/large?bytes=300000&chunked=\(chunked ? 1 : 0)")))
            }
            await client.shutdown()
            #expect(error?.kind == .responseTooLarge)
            #expect(error?.description.contains("100000 bytes") == true)
        }
    }

    @Test("HEAD of a resource larger than the limit succeeds: no body is transferred")
    func headOfLargeResource() async throws {
        try await withFaultServer { server in
            let client = HTTPClient(configuration: .init(maxResponseSize: 1000))
            let response = try await client.execute(HTTPRequest(method: .head, url: server.url("/large?bytes=300000")))
            await client.shutdown()
            #expect(response.status == 200)
            #expect(response.headers["Content-Length"] == "300000")
            #expect(response.body.isEmpty)
        }
    }

    @Test("redirects are not followed by default")
    func redirectsOffByDefault() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let response = try await client.execute(HTTPRequest(url: server.url("/redirect?to=/echo")))
            await client.shutdown()
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/echo")
        }
    }

    @Test("redirects are followed when allowed, and the final URL is reported")
    func redirectsFollowed() async throws {
        try await withFaultServer { server in
            let client = HTTPClient(configuration: .init(redirects: .follow(maximum: 3)))
            let response = try await client.execute(HTTPRequest(url: server.url("/redirect?to=/echo")))
            await client.shutdown()
            #expect(response.status == 200)
            #expect(response.effectiveURL == server.url("/echo"))
            #expect(response.headers["Location"] == nil)
        }
    }

    @Test("more redirects than allowed fail with tooManyRedirects")
    func redirectLoop() async throws {
        try await withFaultServer { server in
            let client = HTTPClient(configuration: .init(redirects: .follow(maximum: 2)))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/loop")))
            }
            await client.shutdown()
            #expect(error?.kind == .tooManyRedirects)
        }
    }
}
