import Collections
import JSON

/// The `fields:` of a mapping as a tree of target paths: `order.id` and `order.lines` become one
/// `order` object with two members. Object members come out in the order their paths first
/// appear in the file; a field whose expression is undefined is left out, and so is an object
/// none of whose fields produced a value.
struct FieldTree: Sendable {
    indirect enum Entry: Sendable {
        case field(target: String, CompiledExpression)
        case object([(key: String, entry: Entry)])
    }

    let entries: [(key: String, entry: Entry)]

    func build(_ scope: MessageScope, mapping: MappingFile) throws(MappingError) -> JSONValue {
        .object(try Self.build(entries, scope, mapping))
    }

    private static func build(
        _ entries: [(key: String, entry: Entry)], _ scope: MessageScope, _ mapping: MappingFile
    ) throws(MappingError) -> OrderedDictionary<String, JSONValue> {
        var object = OrderedDictionary<String, JSONValue>(minimumCapacity: entries.count)
        for (key, entry) in entries {
            switch entry {
            case .field(let target, let expression):
                // A function result has no JSON form and counts as undefined, as in JSON.stringify.
                if let value = try scope.evaluate(expression, mapping: mapping, part: "fields.\(target)")?.json {
                    object[key] = value
                }
            case .object(let children):
                let child = try build(children, scope, mapping)
                if !child.isEmpty {
                    object[key] = .object(child)
                }
            }
        }
        return object
    }
}

/// Collects target paths while the file is read, refusing paths that clash.
final class FieldTreeBuilder {
    private final class Branch {
        var order: [String] = []
        var fields: [String: CompiledExpression] = [:]
        var targets: [String: String] = [:]
        var branches: [String: Branch] = [:]
    }

    private let root = Branch()

    /// Adds `target` (dot-separated). Returns a message when the target is malformed or clashes
    /// with one added before (`order` and `order.id` cannot both be fields).
    func add(target: String, _ expression: CompiledExpression) -> String? {
        let segments = target.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if segments.contains(where: \.isEmpty) {
            return "target path '\(target)' has an empty segment; write names separated by single dots, e.g. order.id"
        }
        var branch = root
        var walked: [String] = []
        for segment in segments.dropLast() {
            walked.append(segment)
            if branch.fields[segment] != nil {
                return "target '\(target)' needs '\(walked.joined(separator: "."))' to be an object, but it is already a field"
            }
            if let next = branch.branches[segment] {
                branch = next
            } else {
                let next = Branch()
                branch.branches[segment] = next
                branch.order.append(segment)
                branch = next
            }
        }
        let last = segments[segments.count - 1]
        if branch.branches[last] != nil {
            return "target '\(target)' is already an object built from fields such as '\(target).…'"
        }
        if branch.fields[last] != nil {
            return "target '\(target)' is given twice"
        }
        branch.fields[last] = expression
        branch.targets[last] = target
        branch.order.append(last)
        return nil
    }

    func build() -> FieldTree {
        func entries(_ branch: Branch) -> [(key: String, entry: FieldTree.Entry)] {
            branch.order.map { key in
                if let expression = branch.fields[key] {
                    return (key, .field(target: branch.targets[key]!, expression))
                }
                return (key, .object(entries(branch.branches[key]!)))
            }
        }
        return FieldTree(entries: entries(root))
    }
}
