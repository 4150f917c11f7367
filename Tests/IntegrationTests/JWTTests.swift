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
