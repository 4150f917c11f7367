/// A JSONata expression of a mapping file, compiled at load time, with where its text is in the
/// YAML file so that both compile and run-time errors point into the file.
struct CompiledExpression: Sendable {
    let expression: JSONataExpression
    let site: ExpressionSite

    func evaluate(
        _ input: JSONValue, bindings: [String: JSONValue], mapping: MappingFile, part: String
    ) throws(MappingError) -> JSONValue? {
        do {
            return try expression.evaluate(input, bindings: bindings)
        } catch let error as JSONataError {
            throw MappingError(
                mapping: mapping.name, version: mapping.version, part: part,
                location: site.location(ofOffset: error.position ?? 0), kind: .evaluation(error))
        } catch {
            throw MappingError(
                mapping: mapping.name, version: mapping.version, part: part,
                location: site.location(ofOffset: 0), kind: .evaluation(JSONataError("D0000", "\(error)")))
        }
    }
}
