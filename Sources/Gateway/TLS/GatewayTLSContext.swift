import Codecs
import Foundation
import NIOSSL
import Synchronization

/// The TLS context new connections get, read from the files `GatewayTLSSettings` names and read
/// again on SIGHUP (`reload`): a rotated certificate or CA is in force for the next handshake,
/// without a restart and without dropping open connections (they keep the context they began with).
public final class GatewayTLSContext: Sendable {
    /// What a loaded context is made of, for messages, readiness and the console.
    public struct Loaded: Sendable {
        public var context: NIOSSLContext
        public var settings: GatewayTLSSettings
        /// The leaf certificate's subject and end of validity.
        public var subject: String
        public var notAfter: Date
        public var fingerprint: String
    }

    private let current: Mutex<Loaded>

    /// Reads and checks the files: a missing file, a key that is not the certificate's, an
    /// unreadable PEM are errors naming the file.
    public init(settings: GatewayTLSSettings) throws(GatewayTLSError) {
        current = Mutex(try Self.load(settings))
    }

    /// The context for a new connection.
    public var context: NIOSSLContext { current.withLock { $0.context } }

    public var loaded: Loaded { current.withLock { $0 } }

    /// Reads `settings`' files again and swaps the context in; on an error the running context
    /// stays and the error says why.
    public func reload(_ settings: GatewayTLSSettings) throws(GatewayTLSError) {
        let next = try Self.load(settings)
        current.withLock { $0 = next }
    }

    static func load(_ settings: GatewayTLSSettings) throws(GatewayTLSError) -> Loaded {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(settings.certificate) } catch {
            throw GatewayTLSError(file: settings.certificate, reason: "not a readable PEM certificate chain (\(error))")
        }
        guard let leaf = chain.first else { throw GatewayTLSError(file: settings.certificate, reason: "holds no certificate") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: settings.privateKey, format: .pem) } catch {
            throw GatewayTLSError(file: settings.privateKey, reason: "not a readable PEM private key (\(error))")
        }
        var roots: [NIOSSLCertificate] = []
        for path in settings.clientCA {
            do { roots += try NIOSSLCertificate.fromPEMFile(path) } catch {
                throw GatewayTLSError(file: path, reason: "not a readable PEM certificate (\(error))")
            }
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        // TLS 1.2 and 1.3 only (RFC 8996 deprecates 1.0 and 1.1).
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = settings.http2 ? ["h2", "http/1.1"] : ["http/1.1"]
        if !roots.isEmpty {
            configuration.certificateVerification = .optionalVerification
            configuration.trustRoots = .certificates(roots)
            configuration.sendCANameList = true
        }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            // BoringSSL refuses a key that is not the certificate's here (KEY_VALUES_MISMATCH).
            throw GatewayTLSError(file: settings.privateKey, reason: "does not fit \(settings.certificate) (\(error))")
        }
        let der = (try? leaf.toDERBytes()) ?? []
        let parsed = try? X509Certificate(bytes: der)
        return Loaded(context: context, settings: settings, subject: parsed?.subject ?? "?",
                      notAfter: Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter)),
                      fingerprint: parsed?.sha256Fingerprint ?? "?")
    }
}

/// Why the listener's TLS files were refused.
public struct GatewayTLSError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var reason: String
    public var description: String { "http.tls: \(file) \(reason)" }
}
