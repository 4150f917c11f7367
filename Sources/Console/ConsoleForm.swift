import Hummingbird

/// An `application/x-www-form-urlencoded` body (HTML §4.10.21.8) as name → value, read with
/// Hummingbird's decoder; at most 64 KiB.
struct ConsoleForm {
    let fields: [String: String]

    static func read(_ request: Request) async throws -> ConsoleForm {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let text = String(buffer: body)
        guard !text.isEmpty else { return ConsoleForm(fields: [:]) }
        do {
            return ConsoleForm(fields: try URLEncodedFormDecoder().decode([String: String].self, from: text))
        } catch {
            throw HTTPError(.badRequest, message: "the form is not application/x-www-form-urlencoded")
        }
    }

    subscript(name: String) -> String? { fields[name] }
}
