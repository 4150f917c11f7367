import Testing

@testable import HTTPClient

@Suite("Response header lines")
struct ResponseHeaderCollectorTests {
    private func collect(_ lines: [String]) -> HTTPHeaders {
        var collector = ResponseHeaderCollector()
        for line in lines {
            Array(line.utf8).withUnsafeBytes { collector.consume(line: $0) }
        }
        return collector.result
    }

    @Test("splits name and value and trims optional whitespace")
    func nameAndValue() {
        let headers = collect(["HTTP/1.1 200 OK\r\n", "Content-Type: \t text/plain \r\n", "\r\n"])
        #expect(headers.fields == [.init(name: "Content-Type", value: "text/plain")])
    }

    @Test("keeps only the last block after interim and redirect responses")
    func lastBlockWins() {
        let headers = collect([
            "HTTP/1.1 100 Continue\r\n", "\r\n",
            "HTTP/1.1 302 Found\r\n", "Location: /next\r\n", "\r\n",
            "HTTP/2 200\r\n", "x-final: yes\r\n", "\r\n",
        ])
        #expect(headers.fields == [.init(name: "x-final", value: "yes")])
    }

    @Test("joins an obs-fold continuation line with one space")
    func obsFold() {
        let headers = collect(["HTTP/1.1 200 OK\r\n", "X-Folded: part one\r\n", "   part two\r\n"])
        #expect(headers["X-Folded"] == "part one part two")
    }

    @Test("accepts an empty value and ignores lines without a colon")
    func emptyValueAndJunk() {
        let headers = collect(["HTTP/1.1 200 OK\r\n", "X-Empty:\r\n", "garbage line\r\n"])
        #expect(headers.fields == [.init(name: "X-Empty", value: "")])
    }
}
