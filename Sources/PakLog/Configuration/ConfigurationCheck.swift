import AdapterKit
import EventStore
import Foundation
import HTTPClient
import Logging
import Mapping
import Messaging
import Warehouse
import WarehouseService
import X12

/// The checks `paklog config check` (and every start and reload) make beyond the YAML itself.
public enum ConfigurationCheck {
    /// Builds every source, endpoint and route as the daemon would, without starting any, and
    /// throws every problem, each with its place in the configuration (or in the mapping file):
    /// what only building finds, such as a secret in the wrong format, a mapping that does not
    /// compile, two sources on one path. The sources are bound to a scratch store in a temporary
    /// directory, removed afterwards; the daemon's own store is not touched.
    public static func validate(_ config: PakLogConfiguration) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paklog-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "paklog.check")
        logger.logLevel = .error
        let store = try SQLiteEventStore(path: directory.appendingPathComponent("check.sqlite").path, durability: .normal, logger: logger)
        let client = HTTPClient(logger: logger)
        let outcome = Result {
            let imports = config.warehouse.imports.load(baseDirectory: config.baseDirectory).problems
            do {
                let (definitions, routes) = try Pipeline.build(config, inbox: Inbox(store: store, logger: logger), client: client,
                                                              scheduler: Scheduler(store: store, logger: logger), logger: logger)
                _ = try Pipeline.engine(config, definitions: definitions, routes: routes, store: store, logger: logger, executor: nil)
            } catch let error as PipelineError {
                throw PipelineError(problems: error.problems + imports)
            }
            if !imports.isEmpty { throw PipelineError(problems: imports) }
        }
        await client.shutdown()
        await store.close()
        try outcome.get()
    }
}

/// Builds the engine's route definitions from configuration: loads each mapping file once,
/// compiles every expression, and collects every problem with its configuration location
/// instead of stopping at the first.
struct RouteCompiler {
    let baseDirectory: String
    /// Endpoints whose URL is unset: destinations naming them are left out.
    let disabledEndpoints: Set<String>
    private(set) var problems: [String] = []
    private var mappings: [String: MappingFile] = [:]

    /// The partner profiles an `output: x12` transform may name.
    let partners: PartnerDirectory

    init(baseDirectory: String, disabledEndpoints: Set<String>, partners: PartnerDirectory = PartnerDirectory()) {
        self.baseDirectory = baseDirectory
        self.disabledEndpoints = disabledEndpoints
        self.partners = partners
    }

    mutating func routes(_ settings: [RouteSettings]) -> [RouteDefinition] {
        settings.compactMap { route($0) }
    }

    /// The categories the engine writes itself; no route may write to their topics.
    static let engineCategories: Set<String> = ["inbox", "outbox", "dlq", "breaker", "aggregate", ReplyEvent.category]

    /// What a route's `from:` names.
    enum From {
        case topic(Result<Topic, TopicNameError>)
        case category(String)
        /// `reply:<endpoint>`: the answers an InOut endpoint got.
        case reply(String)
        case source(String)
    }

    static func source(_ text: String) -> From {
        if text.hasPrefix("reply:") { return .reply(String(text.dropFirst(6))) }
        if text.hasPrefix("topic:") { return .topic(Result { () throws(TopicNameError) in try Topic(named: String(text.dropFirst(6))) }) }
        if text.hasPrefix("category:") { return .category(String(text.dropFirst(9))) }
        return .source(text)
    }

    /// What a `to:` or `wireTap:` entry names: `topic:<category>-events` (events of type
    /// `Message`), `topic:<category>-events as EventType`, `endpoint:NAME` or a bare endpoint name,
    /// `acknowledge:NAME` (settles the endpoint's awaited deliveries).
    enum Target {
        case topic(Result<(Topic, eventType: String), TopicNameError>)
        case endpoint(String)
        case acknowledge(String)
        /// `command:<Type>`: the body is a command to the warehouse core, run in log order.
        case command(String)
    }

    static func target(_ text: String) -> Target {
        if text.hasPrefix("acknowledge:") { return .acknowledge(String(text.dropFirst(12))) }
        if text.hasPrefix("command:") { return .command(String(text.dropFirst(8))) }
        guard text.hasPrefix("topic:") else { return .endpoint(text.hasPrefix("endpoint:") ? String(text.dropFirst(9)) : text) }
        let spec = text.dropFirst(6)
        let (name, eventType) = spec.range(of: " as ").map { (String(spec[..<$0.lowerBound]), String(spec[$0.upperBound...])) } ?? (String(spec), "Message")
        return .topic(Result { () throws(TopicNameError) in (try Topic(named: name), eventType) })
    }

    mutating func route(_ r: RouteSettings) -> RouteDefinition? {
        let before = problems.count
        let from: RouteSource
        switch Self.source(r.from) {
        case .topic(.success(let topic)): from = .category(topic.category)
        case .topic(.failure(let error)):
            problems.append("\(r.location): \(error)")
            return nil
        case .category(let category): from = .category(category)
        case .reply(let endpoint): from = .stream(ReplyEvent.stream(forEndpoint: endpoint))
        case .source(let name): from = .adapter(name)
        }
        let when = r.when.flatMap { expression($0) }
        let steps = self.steps(r.steps)
        guard problems.count == before else { return nil }
        return RouteDefinition(name: r.name, from: from, when: when, steps: steps)
    }

    /// The destination `target` names; nil for a disabled endpoint (or a wrong topic, reported).
    mutating func destination(_ target: TargetSetting, at location: ConfigLocation) -> Destination? {
        switch Self.target(target.text) {
        case .topic(.success(let (topic, eventType))):
            return .topic(topic, eventType: eventType)
        case .topic(.failure(let error)):
            problems.append("\(location): \(error)")
            return nil
        case .endpoint(let name):
            let key = target.orderingKey.flatMap { expression($0) }
            return disabledEndpoints.contains(name) ? nil : .endpoint(name, orderingKey: key)
        case .acknowledge(let name):
            return disabledEndpoints.contains(name) ? nil : .acknowledge(endpoint: name)
        case .command(let type):
            // The route's stream of `command-events`, which `WarehouseCommandConsumer` runs.
            return .topic(Topic(category: WarehouseCommandConsumer.category)!, eventType: type)
        }
    }

    mutating func steps(_ settings: [StepSettings]) -> [RouteStep] {
        var out: [RouteStep] = []
        for step in settings {
            switch step {
            case .transform(let path, let partner, let location):
                if let m = mapping(path, at: location) {
                    // A route step maps a message's JSON body, or an X12 body set by set, to
                    // JSON, or JSON to an X12 interchange for a partner; csv has its own door
                    // (`warehouse.imports`).
                    if (m.input == .json || m.input == .x12) && m.output == .json {
                        if partner != nil { problems.append("\(location): 'partner' is for mappings with 'output: x12'; '\(path)' writes json") }
                        out.append(.transform(MappingFileTransform(m)))
                    } else if m.input == .json && m.output == .x12 {
                        if let output = x12Output(partner, mapping: path, at: location) { out.append(.transform(MappingFileTransform(m, x12: output))) }
                    } else if m.input == .json {
                        problems.append("\(location): mapping '\(path)' writes \(m.output.rawValue) ('output: \(m.output.rawValue)'), but a route step passes JSON or X12 on")
                    } else {
                        problems.append("\(location): mapping '\(path)' reads \(m.input.rawValue) input, but a route step maps a message's JSON or X12 body"
                                        + (m.input == .csv ? " (csv mappings are for bulk imports: warehouse.imports)" : ""))
                    }
                }
            case .split(let e):
                if let x = expression(e) { out.append(.split(x)) }
            case .filter(let e):
                if let x = expression(e) { out.append(.filter(x)) }
            case .recipientList(let e):
                if let x = expression(e) { out.append(.recipientList(x)) }
            case let .aggregate(correlation, size, timeout, predicate):
                let c = expression(correlation)
                let p = predicate.flatMap { expression($0) }
                if let c {
                    out.append(.aggregate(AggregationDefinition(correlation: c, completionSize: size, completionTimeout: timeout, completionPredicate: p)))
                }
            case let .choice(whens, otherwise):
                var branches: [ChoiceBranch] = []
                for (e, s) in whens {
                    let branchSteps = steps(s)
                    if let x = expression(e) { branches.append(ChoiceBranch(when: x, steps: branchSteps)) }
                }
                out.append(.choice(branches, otherwise: steps(otherwise)))
            case .wireTap(let targets, let location):
                out += targets.compactMap { destination($0, at: location) }.map { RouteStep.wireTap($0) }
            case .to(let targets, let location):
                let destinations = targets.compactMap { destination($0, at: location) }
                if !destinations.isEmpty { out.append(.to(destinations)) }
            }
        }
        return out
    }

    /// A mapping named in the configuration: an absolute path, or a path relative to the
    /// configuration's folder, else to the installed share directory (`InstalledFiles`).
    mutating func mapping(_ path: String, at location: ConfigLocation) -> MappingFile? {
        guard let full = InstalledFiles.locate(path, baseDirectory: baseDirectory) else {
            let tried = path.hasPrefix("/") ? [path] : InstalledFiles.searchPath(baseDirectory: baseDirectory).map { $0 + "/" + path }
            problems.append("\(location): mapping '\(path)' not found (looked for \(tried.joined(separator: ", ")))")
            return nil
        }
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

    /// The envelope and counter of an `output: x12` step: its partner must trade X12.
    mutating func x12Output(_ partner: String?, mapping path: String, at location: ConfigLocation) -> X12RouteOutput? {
        guard let partner else {
            problems.append("\(location): mapping '\(path)' writes X12: name the partner it goes to (transform: {mapping: \(path), partner: NAME}), whose x12 settings give the envelope and control numbers")
            return nil
        }
        guard let profile = partners[partner] else {
            let known = partners.profiles.keys.sorted()
            problems.append("\(location): no partner '\(partner)' (partners: \(known.isEmpty ? "none configured" : known.joined(separator: ", ")))")
            return nil
        }
        guard let x12 = profile.x12 else {
            problems.append("\(location): partner '\(partner)' has no x12 settings (qualifier, id), which the interchange's envelope needs")
            return nil
        }
        return X12RouteOutput(partner: partner, envelope: X12OutboundEnvelope(
            senderQualifier: x12.ourQualifier, senderId: x12.ourId, receiverQualifier: x12.qualifier, receiverId: x12.id,
            senderApplication: x12.ourApplicationId, receiverApplication: x12.applicationId, usage: x12.usage))
    }

    mutating func expression(_ e: ExpressionSetting) -> RouteExpression? {
        do {
            return try RouteExpression(e.source)
        } catch {
            problems.append("\(e.location): \(error)")
            return nil
        }
    }
}
