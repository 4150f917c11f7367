import Testing

@testable import HTTPClient

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    @Test("looks names up regardless of ASCII case")
    func caseInsensitiveLookup() {
        let headers: HTTPHeaders = ["Content-Type": "application/json"]
        #expect(headers["content-type"] == "application/json")
        #expect(headers.first("CONTENT-TYPE") == "application/json")
        #expect(headers.contains("Content-type"))
    }

    @Test("keeps repeated fields in order, also from a literal")
    func repeatedFields() {
        var headers: HTTPHeaders = ["X-Multi": "a", "x-multi": "b"]
        headers.add(name: "X-MULTI", value: "c")
        #expect(headers.values(for: "x-multi") == ["a", "b", "c"])
        #expect(headers.count == 3)
    }

    @Test("replaceOrAdd leaves exactly one field of that name")
    func replaceOrAdd() {
        var headers: HTTPHeaders = ["Accept": "a", "accept": "b", "Other": "x"]
        headers.replaceOrAdd(name: "ACCEPT", value: "c")
        #expect(headers.values(for: "accept") == ["c"])
        #expect(headers["Other"] == "x")
    }

    @Test("names differing beyond ASCII case do not match")
    func nonMatchingNames() {
        let headers: HTTPHeaders = ["X-Key": "1"]
        #expect(headers["X-Keys"] == nil)
        #expect(headers["X-Ke"] == nil)
    }

    @Test("description hides credentials")
    func descriptionRedactsCredentials() {
        let headers: HTTPHeaders = ["Authorization": "Bearer secret-token", "Accept": "text/plain"]
        #expect(!headers.description.contains("secret-token"))
        #expect(headers.description.contains("Accept: text/plain"))
    }

    @Test("as one map: names lowercased, repeated values joined with a comma in order")
    func combinedMap() {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "X-Trace", value: "a")
        headers.add(name: "x-trace", value: "b")
        #expect(headers.combinedByLowercasedName == ["content-type": "application/json", "x-trace": "a, b"])
    }
}
