/// The listener's TLS (`http.tls`): our certificate chain and key, and the certificate
/// authorities whose client certificates the handshake accepts (mTLS for partner routes).
///
/// ```yaml
/// http:
///   tls:
///     certificate: Certificates/gateway.pem      # leaf first, then intermediates (PEM)
///     privateKey: Certificates/gateway.key       # PEM, unencrypted, readable by the daemon only
///     clientCA: [Certificates/partners-ca.pem]   # optional: ask clients for a certificate
///     http2: true                                # offer h2 by ALPN (default)
/// ```
public struct GatewayTLSSettings: Sendable, Equatable {
    public var certificate: String
    public var privateKey: String
    /// PEM files of the CAs that sign partners' client certificates. Empty: no client
    /// certificate is asked for. Set: one is asked for but not required at the handshake (API
    /// clients and the console have none); a presented certificate that does not chain to one of
    /// these CAs fails the handshake, and partner routes that demand one check it is their
    /// partner's (`ClientCertificateRequirement`).
    public var clientCA: [String]
    /// Offer HTTP/2 by ALPN (RFC 7301; RFC 9113 §3.2); clients that do not ask for it get HTTP/1.1.
    public var http2: Bool

    public init(certificate: String, privateKey: String, clientCA: [String] = [], http2: Bool = true) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.clientCA = clientCA
        self.http2 = http2
    }
}
