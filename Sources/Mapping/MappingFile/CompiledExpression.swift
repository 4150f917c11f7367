/// A JSONata expression of a mapping file, compiled at load time, with where its text is in the
/// YAML file so that both compile and run-time errors point into the file.
struct CompiledExpression: Sendable {
    let expression: JSONataExpression
    let site: ExpressionSite
}
