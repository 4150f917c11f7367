import Foundation
import Mapping

/// The checks `paklog config check` (and every start and reload) make beyond the YAML itself:
/// every mapping file loads and compiles, every route expression compiles.
public enum ConfigurationCheck {
    /// Throws every problem, each with the place in the configuration (or in the mapping file).
    public static func validateMappings(_ config: PakLogConfiguration) throws {
        var problems: [String] = []
        var compiler = RouteCompiler(baseDirectory: config.baseDirectory)
        for route in config.routes {
            _ = compiler.compile(route)
        }
        problems += compiler.problems
        if !problems.isEmpty { throw PipelineError(problems: problems) }
    }
}

/// Compiles the expressions and loads the mapping files of routes, collecting problems instead of
/// stopping at the first. Mapping files are loaded once per path.
struct RouteCompiler {
    let baseDirectory: String
    private(set) var problems: [String] = []
    private(set) var mappings: [String: MappingFile] = [:]

    init(baseDirectory: String) { self.baseDirectory = baseDirectory }

    /// The absolute path of a mapping named in the configuration (relative to its folder).
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : baseDirectory + "/" + path
    }

    mutating func mapping(_ path: String, at location: ConfigLocation) -> MappingFile? {
        let full = resolve(path)
        if let m = mappings[full] { return m }
        do {
            let m = try MappingFile.load(path: full)
            mappings[full] = m
            return m
        } catch {
            problems.append("\(location): mapping '\(path)' does not load:\n" + error.diagnostics.map { "  \($0)" }.joined(separator: "\n"))
            return nil
        }
    }

    mutating func expression(_ e: ExpressionSetting) -> JSONataExpression? {
        do {
            return try JSONataExpression(e.source)
        } catch {
            problems.append("\(e.location): \(error)")
            return nil
        }
    }

    /// Compiles everything a route uses; returns false if anything failed.
    mutating func compile(_ route: RouteSettings) -> Bool {
        let before = problems.count
        if let w = route.when { _ = expression(w) }
        compile(route.steps)
        return problems.count == before
    }

    mutating func compile(_ steps: [StepSettings]) {
        for step in steps {
            switch step {
            case .transform(let path, let location): _ = mapping(path, at: location)
            case .split(let e), .filter(let e), .recipientList(let e): _ = expression(e)
            case let .aggregate(correlation, _, _, predicate):
                _ = expression(correlation)
                if let predicate { _ = expression(predicate) }
            case let .choice(whens, otherwise):
                for (e, s) in whens {
                    _ = expression(e)
                    compile(s)
                }
                compile(otherwise)
            case .wireTap, .to: break
            }
        }
    }
}
