import Testing

import HTTPClient

@Suite("Timeouts")
struct TimeoutTests {
    @Test("a connect that never completes fails with a timeout")
    func connectTimeout() async throws {
        try await withFaultServer(.blackhole) { server in
            let client = HTTPClient(configuration: .init(connectTimeout: .milliseconds(200)))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/")))
            }
            await client.shutdown()
            #expect(error?.kind == .timeout)
            #expect(error?.curlCode == 28)
            #expect(error?.isTransient == true)
        }
    }

    // The client's own connect timeout (10 minutes) would outlast the test's time limit: only the
    // request's can end this connect.
    @Test("a request's connect timeout wins over the client's", .timeLimit(.minutes(1)))
    func requestConnectTimeout() async throws {
        try await withFaultServer(.blackhole) { server in
            let client = HTTPClient(configuration: .init(connectTimeout: .seconds(600), totalTimeout: .seconds(600)))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/"), connectTimeout: .milliseconds(200)))
            }
            await client.shutdown()
            #expect(error?.kind == .timeout)
            #expect(error?.curlCode == 28)
        }
    }

    @Test("a server slower than the request's timeout fails with a timeout")
    func requestTimeout() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/delay?ms=3000"), timeout: .milliseconds(200)))
            }
            await client.shutdown()
            #expect(error?.kind == .timeout)
        }
    }

    @Test("the configured total timeout applies when the request sets none")
    func configuredTotalTimeout() async throws {
        try await withFaultServer { server in
            let client = HTTPClient(configuration: .init(totalTimeout: .milliseconds(200)))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/delay?ms=3000")))
            }
            await client.shutdown()
            #expect(error?.kind == .timeout)
        }
    }
}
