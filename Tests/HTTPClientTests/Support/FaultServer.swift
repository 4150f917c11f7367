import Foundation

/// The Python fault-injection server (`fault_server.py`) on a loopback port.
struct FaultServer: Sendable {
    enum Mode: Sendable {
        case plain
        case tls(TestCertificates, requireClientCertificate: Bool = false)
        /// Accepts no connections: connects to it hang until the client gives up.
        case blackhole
    }

    let port: Int
    let scheme: String
    fileprivate let process: PeerProcess

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("fault_server.py").path

    func url(_ pathAndQuery: String) -> String {
        "\(scheme)://\(scheme == "https" ? "localhost" : "127.0.0.1"):\(port)\(pathAndQuery)"
    }
}

/// Starts a fault server, runs `body` with it, and stops the server whether or not `body` threw.
func withFaultServer<T>(
    _ mode: FaultServer.Mode = .plain, _ body: (FaultServer) async throws -> T
) async throws -> T {
    var arguments = [FaultServer.script]
    var scheme = "http"
    switch mode {
    case .plain:
        break
    case .tls(let certificates, let requireClientCertificate):
        scheme = "https"
        arguments += ["--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey]
        if requireClientCertificate { arguments += ["--client-ca", certificates.caCertificate] }
    case .blackhole:
        arguments.append("--blackhole")
    }
    let process = try await PeerProcess.start("/usr/bin/python3", arguments)
    let fields = process.firstLine.split(separator: " ")
    guard fields.count == 2, fields[0] == "PORT", let port = Int(fields[1]) else {
        await process.stop()
        throw PeerError("fault server said '\(process.firstLine)' instead of 'PORT <n>'")
    }
    let server = FaultServer(port: port, scheme: scheme, process: process)
    do {
        let result = try await body(server)
        await process.stop()
        return result
    } catch {
        await process.stop()
        throw error
    }
}

/// What `/echo` reports about the request it received.
struct Echo: Decodable {
    let method: String
    let path: String
    let headers: [[String]]
    let body_b64: String
    let client_port: Int
    let client_cert_subject: String?

    var body: [UInt8] { Array(Data(base64Encoded: body_b64) ?? Data()) }

    func values(of name: String) -> [String] {
        headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
    }

    init(_ bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(Echo.self, from: Data(bytes))
    }
}
