import Codecs
import Testing
@testable import Gateway

/// What a JWKS file may hold, and the errors that name where it went wrong. (Keys of a foreign
/// issuer verifying its tokens: IntegrationTests/JWTTests.swift, JWKSTests.)
@Suite("JSON Web Key Sets")
struct JSONWebKeySetTests {
    static func b64(_ bytes: [UInt8]) -> String { Base64.encode(bytes, alphabet: .url, padding: false) }

    func failure(_ json: String) -> String? {
        do {
            _ = try JSONWebKeySet(json: Array(json.utf8), origin: "jwks.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func refusesWhatIsNoVerificationKeyNamingTheKey() {
        let coordinate = Self.b64(Array(repeating: 1, count: 32))
        let cases: [(String, String)] = [
            ("[]", "jwks.json: a JWK Set is an object with a keys array"),
            ("{\"keys\": [", "jwks.json: not JSON"),
            (#"{"keys": [{"kid": "a"}]}"#, #"jwks.json: keys[0] (kid "a"): a JWK is an object with kty"#),
            (#"{"keys": [{"kty": "RSA", "kid": "a", "n": "AQAB"}]}"#, #"keys[0] (kid "a"): a JWK of kty RSA needs e"#),
            (#"{"keys": [{"kty": "RSA", "n": "A!", "e": "AQAB"}]}"#, "keys[0]: n is not base64url"),
            (#"{"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB", "alg": "ES256"}]}"#, "keys[0]: alg ES256 is not one of an RSA key"),
            (#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "d": "AA"}]}"#, "keys[0]: holds a private key (d)"),
            (#"{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}"#, "keys[0]: a symmetric key (oct) does not belong in a JWKS file"),
            (#"{"keys": [{"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA"}]}"#, "keys[0]: crv 'P-521' is not accepted"),
            (#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}]}"#, "keys[0]: x and y of a P-256 key are 32 bytes each"),
            (#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "\#(coordinate)", "y": "\#(coordinate)"}]}"#, "keys[0]: not a valid EC public key"),
        ]
        for (json, expected) in cases {
            let got = failure(json)
            #expect(got?.contains(expected) == true, "\(json): \(got ?? "accepted")")
        }
    }

    @Test func skipsEncryptionKeysAndUnknownTypes() throws {
        let set = try JSONWebKeySet(json: Array(#"""
            {"keys": [{"kty": "RSA", "use": "enc", "n": "AQAB", "e": "AQAB"}, {"kty": "OKP", "crv": "Ed25519", "x": "AA"},
                      {"kty": "EC", "key_ops": ["encrypt"], "crv": "P-256", "x": "AA", "y": "AA"}]}
            """#.utf8), origin: "jwks.json")
        #expect(set.keys.isEmpty)
    }

    @Test func corsOriginsAreSchemeHostAndPort() {
        #expect(CORSPolicy.problem(origin: "https://console.example.com") == nil)
        #expect(CORSPolicy.problem(origin: "http://localhost:8081") == nil)
        #expect(CORSPolicy.problem(origin: "*") == nil)
        for bad in ["console.example.com", "https://console.example.com/", "https://a.example/path", "ftp://a.example", "https://"] {
            #expect(CORSPolicy.problem(origin: bad) != nil, "\(bad)")
        }
    }
}
