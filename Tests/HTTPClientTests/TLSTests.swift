import Testing

import HTTPClient

@Suite("TLS")
struct TLSTests {
    @Test("a server certificate from an unknown CA fails verification")
    func unknownCA() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki)) { server in
            let client = HTTPClient()
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/echo")))
            }
            await client.shutdown()
            #expect(error?.kind == .tlsVerificationFailed)
            #expect(error?.curlCode == 60)
            #expect(error?.isTransient == false)
        }
    }

    @Test("a CA bundle that does not contain the issuer fails verification")
    func wrongCABundle() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki)) { server in
            let client = HTTPClient(configuration: .init(tls: .init(caBundlePath: pki.otherCACertificate)))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/echo")))
            }
            await client.shutdown()
            #expect(error?.kind == .tlsVerificationFailed)
        }
    }

    @Test("verification passes with the issuing CA's bundle")
    func trustedCA() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki)) { server in
            let client = HTTPClient(configuration: .init(tls: .init(caBundlePath: pki.caCertificate)))
            let response = try await client.execute(HTTPRequest(url: server.url("/echo")))
            await client.shutdown()
            #expect(response.status == 200)
        }
    }

    @Test("a matching pinned public key is accepted")
    func pinMatches() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki)) { server in
            let tls = TLSConfiguration(caBundlePath: pki.caCertificate, pinnedPublicKeys: [pki.otherKeyPin, pki.serverKeyPin])
            let client = HTTPClient(configuration: .init(tls: tls))
            let response = try await client.execute(HTTPRequest(url: server.url("/echo")))
            await client.shutdown()
            #expect(response.status == 200)
        }
    }

    @Test("a pinned public key the server lacks fails even though the chain verifies")
    func pinMismatch() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki)) { server in
            let tls = TLSConfiguration(caBundlePath: pki.caCertificate, pinnedPublicKeys: [pki.otherKeyPin])
            let client = HTTPClient(configuration: .init(tls: tls))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/echo")))
            }
            await client.shutdown()
            #expect(error?.kind == .pinnedKeyMismatch)
            #expect(error?.curlCode == 90)
        }
    }

    @Test("a per-request TLS setting overrides the client's")
    func perRequestTLS() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki)) { server in
            let client = HTTPClient(configuration: .init(tls: .init(caBundlePath: pki.caCertificate)))
            let first = try await client.execute(HTTPRequest(url: server.url("/echo")))
            let pinned = TLSConfiguration(caBundlePath: pki.caCertificate, pinnedPublicKeys: [pki.otherKeyPin])
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/echo"), tls: pinned))
            }
            await client.shutdown()
            #expect(first.status == 200)
            #expect(error?.kind == .pinnedKeyMismatch)
        }
    }

    @Test("a server requiring a client certificate gets ours and sees its subject")
    func clientCertificate() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki, requireClientCertificate: true)) { server in
            let tls = TLSConfiguration(
                caBundlePath: pki.caCertificate, clientCertificatePath: pki.clientCertificate, clientKeyPath: pki.clientKey)
            let client = HTTPClient(configuration: .init(tls: tls))
            let response = try await client.execute(HTTPRequest(url: server.url("/echo")))
            await client.shutdown()
            #expect(try Echo(response.body).client_cert_subject == "paklog-client")
        }
    }

    @Test("without a client certificate the mutual-TLS server refuses the request")
    func missingClientCertificate() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki, requireClientCertificate: true)) { server in
            let client = HTTPClient(configuration: .init(tls: .init(caBundlePath: pki.caCertificate)))
            await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/echo")))
            }
            await client.shutdown()
        }
    }

    @Test("a burst to an HTTP/1.1-only TLS server opens parallel connections instead of waiting for HTTP/2")
    func http1BurstOverTLS() async throws {
        let pki = try await TestCertificates.shared()
        try await withFaultServer(.tls(pki)) { server in
            // The server answers only when all 10 wait at its barrier at the same time.
            let client = HTTPClient(configuration: .init(tls: .init(caBundlePath: pki.caCertificate)))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await client.execute(HTTPRequest(url: server.url("/barrier?n=10&group=tls"))).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            await client.shutdown()
            #expect(statuses == Array(repeating: 200, count: 10))
        }
    }

    @Test("HTTP/2 is negotiated with nginx over TLS and multiplexes on one connection")
    func http2WithNginx() async throws {
        let pki = try await TestCertificates.shared()
        try await withNginxTLS(pki) { nginx in
            let client = HTTPClient(configuration: .init(tls: .init(caBundlePath: pki.caCertificate)))
            let first = try await client.execute(HTTPRequest(url: nginx.url("/")))
            let more = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await client.execute(HTTPRequest(method: .post, url: nginx.url("/"), body: [1, 2, 3])) }
                }
                return try await group.reduce(into: [HTTPResponse]()) { $0.append($1) }
            }
            await client.shutdown()
            #expect(first.httpVersion == .http2)
            #expect(first.body == Array("served by nginx\n".utf8))
            #expect(more.allSatisfy { $0.httpVersion == .http2 && $0.status == 200 && $0.connectionReused })
        }
    }

    @Test("HTTP/1.1 only when configured so, also against an HTTP/2 server")
    func http1Preference() async throws {
        let pki = try await TestCertificates.shared()
        try await withNginxTLS(pki) { nginx in
            let client = HTTPClient(configuration: .init(httpVersion: .http1_1, tls: .init(caBundlePath: pki.caCertificate)))
            let response = try await client.execute(HTTPRequest(url: nginx.url("/")))
            await client.shutdown()
            #expect(response.httpVersion == .http1_1)
        }
    }
}
