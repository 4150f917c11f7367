import JSON
import Mapping
@testable import Messaging

/// A route transform written as one JSONata expression (what a mapping file compiles to).
struct JSONataTransform: MessageTransform {
    let mappingName: String
    let mappingVersion: String
    let expression: JSONataExpression

    init(name: String, version: String, _ source: String) throws {
        mappingName = name
        mappingVersion = version
        expression = try JSONataExpression(source)
    }

    func apply(_ input: JSONValue) throws -> JSONValue? { try expression.evaluate(input) }
}
