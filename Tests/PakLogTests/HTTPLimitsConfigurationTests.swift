import Gateway
import PakLog
import Testing

/// `http.maxBodyBytes`, `http.maxImportBytes`, `http.cors` and `http.jwt.jwks` as the loader
/// reads them: defaults, values, and errors with their lines.
@Suite("Configuration of body limits, CORS and JWKS")
struct HTTPLimitsConfigurationTests {
    let loader = ConfigurationLoader(environment: [:])

    func problems(_ yaml: String) -> [String] {
        do {
            _ = try loader.load(text: yaml, file: "paklog.yaml", baseDirectory: "/tmp")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func defaultsAreOneMebibyteSixtyFourForImportsAndNoCrossOriginAccess() throws {
        let config = try loader.load(text: "http:\n  port: 8080\n", file: "paklog.yaml", baseDirectory: "/tmp")
        #expect(config.http.bodySizeLimits == BodySizeLimits(maxBodyBytes: 1 << 20, maxImportBytes: 64 << 20))
        #expect(!config.http.cors.isEnabled)
        #expect(config.http.bodySizeLimits.limit(method: .post, path: "/api/v1/imports/orders").setting == "http.maxImportBytes")
        #expect(config.http.bodySizeLimits.limit(method: .post, path: "/api/v1/orders").bytes == 1 << 20)
    }

    @Test func limitsAndOriginsAreRead() throws {
        let yaml = """
            http:
              maxBodyBytes: 4096
              maxImportBytes: 1048576
              cors: {allowedOrigins: ["https://console.example", "http://localhost:8081"], maxAge: 60}
            """
        let config = try loader.load(text: yaml, file: "paklog.yaml", baseDirectory: "/tmp")
        #expect(config.http.bodySizeLimits == BodySizeLimits(maxBodyBytes: 4096, maxImportBytes: 1 << 20))
        #expect(config.http.cors == CORSPolicy(allowedOrigins: ["https://console.example", "http://localhost:8081"], maxAge: 60))
    }

    @Test func aBadOriginALimitOfZeroAndAMissingJWKSFileAreReportedWithTheirLines() {
        let yaml = """
            http:
              maxBodyBytes: 0
              cors:
                allowedOrigins: ["https://console.example/app"]
              jwt: {issuer: https://idp.test, audience: paklog, jwks: /nonexistent/jwks.json}
            """
        let found = problems(yaml)
        #expect(found.count == 3, "\(found)")
        #expect(found.contains { $0.hasPrefix("paklog.yaml:2:17: http.maxBodyBytes:") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("paklog.yaml:4:22: http.cors.allowedOrigins") && $0.contains("no path") }, "\(found)")
        #expect(found.contains { $0.contains("http.jwt.jwks: cannot read the JWKS file /nonexistent/jwks.json") }, "\(found)")
    }
}
