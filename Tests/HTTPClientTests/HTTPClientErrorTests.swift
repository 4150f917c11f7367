import Testing

@testable import HTTPClient

@Suite("HTTPClientError")
struct HTTPClientErrorTests {
    @Test("removes user information and query from the URL it reports")
    func redactsURL() {
        let error = HTTPClientError(kind: .timeout, url: "https://user:pa55@partner.example:8443/api/orders?token=abc#frag")
        #expect(error.url == "https://partner.example:8443/api/orders?…")
        #expect(!error.description.contains("pa55"))
        #expect(!error.description.contains("abc"))
    }

    @Test("keeps a URL without secrets as it is")
    func plainURL() {
        #expect(HTTPClientError.redact(url: "http://127.0.0.1:8080/x/y") == "http://127.0.0.1:8080/x/y")
        #expect(HTTPClientError.redact(url: "http://host") == "http://host")
    }

    @Test("an @ in the path is not taken for user information")
    func atSignInPath() {
        #expect(HTTPClientError.redact(url: "https://host/users/a@b") == "https://host/users/a@b")
    }

    @Test("description names kind, curl code and text, detail and URL")
    func description() {
        let error = HTTPClientError(
            kind: .connectFailed, url: "http://127.0.0.1:1/", curlCode: 7, curlText: "Couldn't connect to server",
            detail: "Failed to connect to 127.0.0.1 port 1")
        #expect(
            error.description
                == "HTTP request to http://127.0.0.1:1/ failed: connect failed (curl error 7 'Couldn't connect to server': Failed to connect to 127.0.0.1 port 1)"
        )
    }
}
