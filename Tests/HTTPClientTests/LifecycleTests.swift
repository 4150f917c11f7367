import Testing

import HTTPClient

@Suite("Cancellation, concurrency and shutdown")
struct LifecycleTests {
    @Test("cancelling the task aborts its transfer with CancellationError and frees its connection")
    func cancellation() async throws {
        try await withFaultServer { server in
            // One connection per host: if the cancelled transfer still held it, the next
            // request would wait behind the server's 10 s delay and time out.
            let client = HTTPClient(configuration: .init(maxConnectionsPerHost: 1))
            let task = Task { try await client.execute(HTTPRequest(url: server.url("/delay?ms=10000"))) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            let response = try await client.execute(HTTPRequest(url: server.url("/echo"), timeout: .seconds(5)))
            await client.shutdown()
            #expect(response.status == 200)
        }
    }

    @Test("a task cancelled before the request starts never sends it")
    func cancelledBeforeStart() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.execute(HTTPRequest(url: server.url("/echo")))
            }
            await #expect(throws: CancellationError.self) { try await task.value }
            await client.shutdown()
        }
    }

    @Test("100 concurrent requests each get their own answer")
    func hundredConcurrent() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let mismatches = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        let body = Array("request-\(index)".utf8)
                        let response = try await client.execute(
                            HTTPRequest(method: .post, url: server.url("/echo"), body: body))
                        return try Echo(response.body).body == body
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 0 : 1) }
            }
            await client.shutdown()
            #expect(mismatches == 0)
        }
    }

    @Test("40 requests are in flight at once, far more than the cooperative pool has threads")
    func requestsDoNotOccupyThreads() async throws {
        try await withFaultServer { server in
            // The server answers only when all 40 wait at its barrier at the same time.
            let client = HTTPClient(configuration: .init(maxConnectionsPerHost: 40))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await client.execute(HTTPRequest(url: server.url("/barrier?n=40&group=pool"))).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            await client.shutdown()
            #expect(statuses == Array(repeating: 200, count: 40))
        }
    }

    @Test("shutdown fails requests in flight and refuses new ones")
    func shutdown() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            let inFlight = Task { try await client.execute(HTTPRequest(url: server.url("/delay?ms=10000"))) }
            try await Task.sleep(for: .milliseconds(100))
            await client.shutdown()
            let inFlightError = await #expect(throws: HTTPClientError.self) { try await inFlight.value }
            let laterError = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/echo")))
            }
            #expect(inFlightError?.kind == .shutdown)
            #expect(laterError?.kind == .shutdown)
            await client.shutdown()  // a second call returns at once
        }
    }
}
