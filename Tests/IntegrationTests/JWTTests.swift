import Codecs
import Foundation
import HTTPClient
import JSON
import OffThePool
import Testing

/// JWT bearer tokens through the daemon (issue 26), signed by a foreign signer: the openssl
/// command line (RS256, ES256, HS256).
@Suite("JWT bearer tokens through the daemon", .serialized)
struct JWTTests {
    /// Runs openssl and returns its standard output.
    static func openssl(_ arguments: [String], in directory: String) async throws -> [UInt8] {
        try await offThePool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw TestError("openssl \(arguments) failed") }
            return Array(data)
        }
    }

    struct TestError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// A DER ECDSA-Sig-Value as JOSE's r ‖ s, each 32 bytes (RFC 7518 §3.4).
    static func joseSignature(der: [UInt8]) -> [UInt8] {
        var i = 2  // SEQUENCE, length (short form for P-256)
        func integer() -> [UInt8] {
            let length = Int(der[i + 1])
            var value = Array(der[(i + 2)..<(i + 2 + length)])
            i += 2 + length
            while value.count > 32, value.first == 0 { value.removeFirst() }
            return Array(repeating: 0, count: 32 - value.count) + value
        }
        return integer() + integer()
    }

    static func b64(_ bytes: [UInt8]) -> String { Base64.encode(bytes, alphabet: .url, padding: false) }

    @Test("RS256, ES256 and HS256 tokens from openssl pass; expired, early, foreign issuer or audience, alg none, a changed payload, an HMAC over the public key, a missing scope do not",
          .timeLimit(.minutes(3)))
    func tokensFromOpenSSL() async throws {
        let directory = try TemporaryDirectory()
        let dir = directory.path
        _ = try await Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key"], in: dir)
        _ = try await Self.openssl(["pkey", "-in", "rsa.key", "-pubout", "-out", "rsa.pub.pem"], in: dir)
        _ = try await Self.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key"], in: dir)
        _ = try await Self.openssl(["pkey", "-in", "ec.key", "-pubout", "-out", "ec.pub.pem"], in: dir)
        let secret = "a-shared-secret-of-thirty-two-bytes!"

        func token(alg: String, kid: String?, claims: JSONValue, tamper: Bool = false, hmacKey: String? = nil) async throws -> String {
            var header: JSONValue = ["alg": .string(alg), "typ": "JWT"]
            if let kid, case .object(var o) = header { o["kid"] = .string(kid); header = .object(o) }
            let input = Self.b64(header.serialized()) + "." + Self.b64(claims.serialized())
            try Data(input.utf8).write(to: URL(fileURLWithPath: dir + "/input"))
            var signature: [UInt8]
            switch alg {
            case "RS256": signature = try await Self.openssl(["dgst", "-sha256", "-sign", "rsa.key", "input"], in: dir)
            case "ES256": signature = Self.joseSignature(der: try await Self.openssl(["dgst", "-sha256", "-sign", "ec.key", "input"], in: dir))
            case "HS256": signature = try await Self.openssl(["dgst", "-sha256", "-mac", "HMAC", "-macopt", "key:\(hmacKey ?? secret)", "-binary", "input"], in: dir)
            default: signature = []
            }
            var parts = input.split(separator: ".").map(String.init)
            if tamper, case .object(var o) = claims {
                o["scope"] = "admin"
                parts[1] = Self.b64(JSONValue.object(o).serialized())
            }
            return parts.joined(separator: ".") + "." + Self.b64(signature)
        }
        let now = Int(Date().timeIntervalSince1970)
        func claims(scope: String = "orders:read", exp: Int? = nil, nbf: Int? = nil, iss: String = "https://idp.test", aud: JSONValue = "paklog") -> JSONValue {
            ["sub": "erp-connector", "iss": .string(iss), "aud": aud, "exp": .number(Double(exp ?? now + 600)), "nbf": .number(Double(nbf ?? now - 10)),
             "scope": .string(scope)]
        }

        let port = freeLoopbackPort()
        let configPath = try directory.write("paklog.yaml", """
            storage: {path: \(dir)/paklog.sqlite, durability: normal}
            http:
              host: 127.0.0.1
              port: \(port)
              jwt:
                issuer: https://idp.test
                audience: paklog
                keys:
                  - {id: rsa-1, publicKey: rsa.pub.pem}
                  - {id: ec-1, publicKey: ec.pub.pem}
                  - {id: hs-1, secret: "${env:PAKLOG_TEST_JWT_SECRET}"}
            logging: {level: warning, format: json}
            warehouse: {ssccCompanyPrefix: "0614141"}
            """)
        let client = HTTPClient()
        let daemon = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", configPath], environment: ["PAKLOG_TEST_JWT_SECRET": secret])
        defer { daemon.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: daemon, timeout: .seconds(60))
        func status(_ token: String) async throws -> Int {
            try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/orders", headers: ["Authorization": "Bearer \(token)"])).status
        }

        let publicPEM = try String(contentsOfFile: dir + "/rsa.pub.pem", encoding: .utf8)
        let cases: [(String, String, Int)] = [
            ("RS256", try await token(alg: "RS256", kid: "rsa-1", claims: claims()), 200),
            ("ES256", try await token(alg: "ES256", kid: "ec-1", claims: claims()), 200),
            ("HS256", try await token(alg: "HS256", kid: "hs-1", claims: claims()), 200),
            ("RS256 without kid, audience in a list", try await token(alg: "RS256", kid: nil, claims: claims(aud: ["other", "paklog"])), 200),
            ("expired", try await token(alg: "RS256", kid: "rsa-1", claims: claims(exp: now - 3600)), 401),
            ("not valid yet", try await token(alg: "RS256", kid: "rsa-1", claims: claims(nbf: now + 3600)), 401),
            ("another issuer", try await token(alg: "RS256", kid: "rsa-1", claims: claims(iss: "https://evil.test")), 401),
            ("another audience", try await token(alg: "ES256", kid: "ec-1", claims: claims(aud: "someone-else")), 401),
            ("alg none", try await token(alg: "none", kid: nil, claims: claims()), 401),
            ("payload changed after signing", try await token(alg: "RS256", kid: "rsa-1", claims: claims(), tamper: true), 401),
            ("HS256 with the RSA public key as secret", try await token(alg: "HS256", kid: "rsa-1", claims: claims(), hmacKey: publicPEM), 401),
            ("HS256 with another secret", try await token(alg: "HS256", kid: "hs-1", claims: claims(), hmacKey: "not-the-secret"), 401),
            ("valid, without the route's scope", try await token(alg: "ES256", kid: "ec-1", claims: claims(scope: "inventory:read dlq:read")), 403),
        ]
        var wrong: [String] = []
        for (name, token, expected) in cases {
            let got = try await status(token)
            if got != expected { wrong.append("\(name): \(got), expected \(expected)") }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        daemon.signal(SIGTERM)
        _ = await daemon.wait(timeout: .seconds(30))
        await client.shutdown()
    }
}

/// `http.jwt.jwks`: tokens of a foreign issuer (Python's `cryptography`, in the virtual
/// environment of scripts/peers/openapi.sh) verified against the JSON Web Key Set it wrote.
@Suite("JWT bearer tokens against a JWKS file", .serialized)
struct JWKSTests {
    @Test("RS256 and ES256 tokens verify against the issuer's JWKS, selected by kid; an unknown kid, a key set of other keys, or the encryption key do not",
          .timeLimit(.minutes(3)))
    func tokensAgainstAKeySet() async throws {
        let python = try OpenAPITests.tool("python")
        let script = OpenAPITests.repository.appendingPathComponent("Tests/Support/Peers/jwks_signer.py").path
        let directory = try TemporaryDirectory()
        let dir = directory.path
        let now = Int(Date().timeIntervalSince1970)
        let claims: JSONValue = ["sub": "wms-ui", "iss": "https://idp.test", "aud": "paklog", "exp": .number(Double(now + 600)), "scope": "orders:read"]
        let jobs: [(String, String, Int)] = [("RS256", "rsa-jwks", 200), ("ES256", "ec-jwks", 200), ("RS256", "no-such-kid", 401), ("RS256", "rsa-enc", 401)]
        let jobsFile = try directory.write("jobs.json", String(decoding: JSONValue.array(jobs.map { ["alg": .string($0.0), "kid": .string($0.1), "claims": claims] }).serialized(), as: UTF8.self))
        let signer = try ChildProcess(python, [script, dir, jobsFile])
        #expect(await signer.wait(timeout: .seconds(60)) == 0, "\(signer.standardError)")
        let tokens = (try? JSONValue(parsing: signer.standardOutput))?.arrayValue?.compactMap(\.stringValue) ?? []
        try #require(tokens.count == jobs.count, "\(signer.standardOutput)")

        func daemon(jwks: String) async throws -> (ChildProcess, Int) {
            let port = freeLoopbackPort()
            let config = try directory.write("paklog-\(port).yaml", """
                storage: {path: \(dir)/paklog-\(port).sqlite, durability: normal}
                http:
                  host: 127.0.0.1
                  port: \(port)
                  jwt: {issuer: https://idp.test, audience: paklog, jwks: \(jwks)}
                logging: {level: warning, format: json}
                warehouse: {ssccCompanyPrefix: "0614141"}
                """)
            let process = try ChildProcess(try BuiltProducts.executable("paklog"), ["serve", "--config", config])
            return (process, port)
        }
        let client = HTTPClient()
        func statuses(_ port: Int) async throws -> [Int] {
            var result: [Int] = []
            for token in tokens {
                result.append(try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/v1/orders", headers: ["Authorization": "Bearer \(token)"])).status)
            }
            return result
        }
        let (issuers, port) = try await daemon(jwks: "jwks.json")  // relative: beside the configuration
        defer { issuers.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: port, daemon: issuers, timeout: .seconds(60))
        #expect(try await statuses(port) == jobs.map(\.2))
        issuers.signal(SIGTERM)
        _ = await issuers.wait(timeout: .seconds(30))

        let (others, otherPort) = try await daemon(jwks: dir + "/other.jwks.json")
        defer { others.signal(SIGKILL) }
        try await waitUntilHealthy(client, port: otherPort, daemon: others, timeout: .seconds(60))
        #expect(try await statuses(otherPort) == [401, 401, 401, 401], "keys of the same kids that signed nothing verify nothing")
        others.signal(SIGTERM)
        _ = await others.wait(timeout: .seconds(30))

        // A key set holding a private key is refused by the configuration check, naming the key.
        let leaked = try directory.write("leaked.jwks.json", #"{"keys": [{"kty": "EC", "kid": "k1", "crv": "P-256", "x": "AA", "y": "AA", "d": "AA"}]}"#)
        let (refused, _) = try await daemon(jwks: leaked)
        defer { refused.signal(SIGKILL) }
        let status = await refused.wait(timeout: .seconds(30))
        #expect(status != nil && status != 0, "a daemon with a leaked private key does not start")
        #expect(refused.standardError.contains("keys[0] (kid \\\"k1\\\"): holds a private key") || refused.standardError.contains(#"keys[0] (kid "k1"): holds a private key"#),
                "\(refused.standardError)")
        await client.shutdown()
    }
}
