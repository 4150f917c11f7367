import HTTPTypes

extension HTTPFields {
    /// Adds `name` to the answer's `Vary` (RFC 9110 §12.5.5), keeping what other links of the
    /// chain put there (compression varies by Accept-Encoding, CORS by Origin).
    mutating func addVary(_ name: String) {
        let present = self[values: .vary].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        guard !present.contains(where: { $0.lowercased() == name.lowercased() }) else { return }
        self[.vary] = (present + [name]).joined(separator: ", ")
    }
}
