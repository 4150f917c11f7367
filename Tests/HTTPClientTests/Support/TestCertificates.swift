import Foundation

/// A throw-away PKI made with the `openssl` CLI in a temporary directory, once per test process:
/// a CA, a server certificate for `localhost`/127.0.0.1 and a client certificate, all issued by
/// that CA, plus a second unrelated CA. No key ever leaves the temporary directory.
struct TestCertificates: Sendable {
    let directory: String
    var caCertificate: String { directory + "/ca.pem" }
    var otherCACertificate: String { directory + "/other-ca.pem" }
    var serverCertificate: String { directory + "/server.pem" }
    var serverKey: String { directory + "/server.key" }
    var clientCertificate: String { directory + "/client.pem" }
    var clientKey: String { directory + "/client.key" }
    /// `sha256//…` pin of the server's public key, as CURLOPT_PINNEDPUBLICKEY wants it.
    let serverKeyPin: String
    /// A pin of a key the server does not have.
    let otherKeyPin: String

    static func shared() async throws -> TestCertificates {
        try await generation.value
    }

    private static let generation = Task { try await generate() }

    private static let directoryPath = FileManager.default.temporaryDirectory
        .appendingPathComponent("paklog-httpclient-pki-\(getpid())").path

    private static func generate() async throws -> TestCertificates {
        let directory = directoryPath
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The keys go when the test process exits.
        atexit { try? FileManager.default.removeItem(atPath: TestCertificates.directoryPath) }
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        try await shell(
            """
            set -e
            cd '\(directory)'
            openssl req -x509 \(ec) -keyout ca.key -out ca.pem -days 2 -subj '/CN=PakLog Test CA' 2>/dev/null
            openssl req -x509 \(ec) -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=Other CA' 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext
            openssl req \(ec) -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
                -extfile server.ext -out server.pem 2>/dev/null
            printf 'extendedKeyUsage=clientAuth\\n' > client.ext
            openssl req \(ec) -keyout client.key -out client.csr -subj '/CN=paklog-client' 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
                -extfile client.ext -out client.pem 2>/dev/null
            """)
        func pin(of certificate: String) async throws -> String {
            let output = certificate + ".pin"
            try await shell(
                "openssl x509 -in '\(certificate)' -pubkey -noout | openssl pkey -pubin -outform der"
                    + " | openssl dgst -sha256 -binary | openssl base64 -A > '\(output)'")
            let digest = try String(contentsOfFile: output, encoding: .utf8)
            return "sha256//" + digest.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return TestCertificates(
            directory: directory,
            serverKeyPin: try await pin(of: directory + "/server.pem"),
            otherKeyPin: try await pin(of: directory + "/other-ca.pem"))
    }
}
