import Testing

import HTTPClient

@Suite("Connection reuse")
struct ConnectionReuseTests {
    @Test("sequential requests to one origin share one connection")
    func sequentialRequestsReuseConnection() async throws {
        try await withFaultServer { server in
            let client = HTTPClient()
            var ports: Set<Int> = []
            var reused: [Bool] = []
            for index in 0..<5 {
                let response = try await client.execute(
                    HTTPRequest(method: .post, url: server.url("/echo"), body: Array("\(index)".utf8)))
                ports.insert(try Echo(response.body).client_port)
                reused.append(response.connectionReused)
            }
            await client.shutdown()
            #expect(ports.count == 1)
            #expect(reused == [false, true, true, true, true])
        }
    }

    @Test("with reuse switched off every request opens its own connection")
    func forbidReuse() async throws {
        try await withFaultServer { server in
            let client = HTTPClient(configuration: .init(reuseConnections: false))
            var ports: Set<Int> = []
            for _ in 0..<3 {
                let response = try await client.execute(HTTPRequest(url: server.url("/echo")))
                ports.insert(try Echo(response.body).client_port)
                #expect(!response.connectionReused)
            }
            await client.shutdown()
            #expect(ports.count == 3)
        }
    }

    @Test("concurrent requests stay within the per-host connection limit")
    func perHostLimit() async throws {
        try await withFaultServer { server in
            let client = HTTPClient(configuration: .init(maxConnectionsPerHost: 2))
            let ports = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let response = try await client.execute(HTTPRequest(url: server.url("/echo")))
                        return try Echo(response.body).client_port
                    }
                }
                return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
            }
            await client.shutdown()
            #expect(ports.count <= 2)
        }
    }
}
