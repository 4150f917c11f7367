import Foundation
import Testing

import HTTPClient

@Suite("Requests and responses against a real HTTP/1.1 server")
struct RoundTripTests {
    @Test("GET returns status, body and the server's view of the request")
    func getRoundTrip() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let response = try await client.execute(HTTPRequest(url: server.url("/echo?x=1"), headers: ["Accept": "application/json"]))
            await client.shutdown()
            #expect(response.status == 200)
            #expect(response.httpVersion == .http1_1)
            #expect(response.headers["content-type"] == "application/json")
            let echo = try Echo(response.body)
            #expect(echo.method == "GET")
            #expect(echo.path == "/echo?x=1")
            #expect(echo.values(of: "Accept") == ["application/json"])
            #expect(echo.values(of: "User-Agent") == ["paklog"])
        }
    }

    @Test("POST sends the body bytes and headers exactly, without added Content-Type or Expect")
    func postRoundTrip() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let body = Array((0..<5000).map { UInt8(truncatingIfNeeded: $0) })
            let response = try await client.execute(
                HTTPRequest(method: .post, url: server.url("/echo"), headers: ["X-Trace": "t1", "x-trace": "t2"], body: body))
            await client.shutdown()
            let echo = try Echo(response.body)
            #expect(echo.method == "POST")
            #expect(echo.body == body)
            #expect(echo.values(of: "X-Trace") == ["t1", "t2"])
            #expect(echo.values(of: "Content-Length") == ["5000"])
            #expect(echo.values(of: "Content-Type").isEmpty)
            #expect(echo.values(of: "Expect").isEmpty)
        }
    }

    @Test("PUT, PATCH and DELETE use their method, with and without a body")
    func otherMethods() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            for (method, body) in [(HTTPMethod.put, Array("p".utf8)), (.patch, Array("q".utf8)), (.delete, [])] {
                let response = try await client.execute(HTTPRequest(method: method, url: server.url("/echo"), body: body))
                let echo = try Echo(response.body)
                #expect(echo.method == method.rawValue)
                #expect(echo.body == body)
            }
            await client.shutdown()
        }
    }

    @Test("HEAD gets the headers and no body")
    func head() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let response = try await client.execute(HTTPRequest(method: .head, url: server.url("/status?code=200")))
            await client.shutdown()
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(response.headers["Content-Length"] == "10")
        }
    }

    @Test("4xx and 5xx statuses are responses, not errors", arguments: [404, 429, 500, 503])
    func errorStatuses(code: Int) async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let response = try await client.execute(HTTPRequest(url: server.url("/status?code=\(code)")))
            await client.shutdown()
            #expect(response.status == code)
            #expect(response.body == Array("status \(code)".utf8))
        }
    }

    @Test("repeated response fields keep all values; lookup ignores case")
    func multiValueHeaders() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let response = try await client.execute(HTTPRequest(url: server.url("/headers")))
            await client.shutdown()
            #expect(response.headers.values(for: "set-cookie") == ["a=1", "b=2"])
            #expect(response.headers.values(for: "X-MULTI") == ["first", "second"])
            #expect(response.headers["x-folded"] == "part one part two")
        }
    }

    @Test("Retry-After of a 503 is available parsed")
    func retryAfter() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let seconds = try await client.execute(HTTPRequest(url: server.url("/retry-after?value=7")))
            let date = try await client.execute(
                HTTPRequest(url: server.url("/retry-after?value=Sun,%2006%20Nov%201994%2008:49:37%20GMT")))
            await client.shutdown()
            #expect(seconds.status == 503)
            #expect(seconds.retryAfter == .seconds(7))
            #expect(date.retryAfter == .date(secondsSince1970: 784_111_777))
        }
    }

    @Test("a connection closed without an answer is a connectionLost error")
    func droppedConnection() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/drop")))
            }
            await client.shutdown()
            #expect(error?.kind == .connectionLost)
            #expect(error?.curlCode == 52)
            #expect(error?.isTransient == true)
        }
    }

    @Test("an error never carries the Authorization header or URL credentials")
    func errorsCarryNoSecrets() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let url = server.url("/drop").replacingOccurrences(of: "http://", with: "http://user:url-secret@")
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: url + "?api_key=query-secret", headers: ["Authorization": "Bearer header-secret"]))
            }
            await client.shutdown()
            let text = String(describing: error)
            #expect(error?.kind == .connectionLost)
            #expect(!text.contains("header-secret"))
            #expect(!text.contains("url-secret"))
            #expect(!text.contains("query-secret"))
        }
    }

    @Test("an explicit proxy receives the request in absolute form")
    func explicitProxy() async throws {
        try await withFaultServer { server in
            let client = HTTPClient(configuration: .init(proxy: .url(server.url(""))))
            let response = try await client.execute(HTTPRequest(url: "http://partner.invalid/echo"))
            await client.shutdown()
            #expect(try Echo(response.body).path == "http://partner.invalid/echo")
        }
    }

    @Test("a refused connection is a connectFailed error naming curl's code and the URL")
    func refusedConnection() async throws {
        let port = try freeLoopbackPort()
        let client = HTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/orders"))
        }
        await client.shutdown()
        #expect(error?.kind == .connectFailed)
        #expect(error?.curlCode == 7)
        #expect(error?.description.contains("http://127.0.0.1:\(port)/orders") == true)
    }

    @Test("each response carries its total time")
    func totalTime() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let response = try await client.execute(HTTPRequest(url: server.url("/delay?ms=50")))
            await client.shutdown()
            #expect(response.totalTime > .zero)
        }
    }
}
