import EventStore
import Foundation
import StrictYAML

/// Reads and validates the YAML configuration. Every problem is reported with file, line, column
/// and key path; all of them at once, so one `paklog config check` run shows everything to fix.
public struct ConfigurationLoader {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads the file at `path`.
    public func load(path: String) throws(YAMLDiagnostics) -> PakLogConfiguration {
        let reader = try YAMLReader(contentsOf: path)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try load(reader: reader, baseDirectory: base)
    }

    /// Loads YAML text; `file` names it in messages.
    public func load(text: String, file: String, baseDirectory: String) throws(YAMLDiagnostics) -> PakLogConfiguration {
        try load(reader: YAMLReader(text: text, file: file), baseDirectory: baseDirectory)
    }

    func load(reader: YAMLReader, baseDirectory: String) throws(YAMLDiagnostics) -> PakLogConfiguration {
        var config = PakLogConfiguration()
        config.file = reader.file
        config.baseDirectory = baseDirectory
        let secrets = SecretResolver(environment: environment, baseDirectory: baseDirectory)
        var context = Context(secrets: secrets)
        if let root = reader.root.mapping(keys: ["storage", "http", "logging", "sources", "endpoints", "routes"]) {
            if let node = root.optional("storage") { context.storage(node, into: &config.storage) }
            if let node = root.optional("http") { context.http(node, into: &config.http) }
            if let node = root.optional("logging") { context.logging(node, into: &config.logging) }
            if let node = root.optional("sources")?.mapping() {
                config.sources = node.entries.compactMap { context.source(name: $0.key, $0.value) }
            }
            if let node = root.optional("endpoints")?.mapping() {
                config.endpoints = node.entries.compactMap { context.endpoint(name: $0.key, $0.value) }
            }
            if let node = root.optional("routes")?.sequence() {
                config.routes = node.compactMap { context.route($0) }
            }
            context.crossCheck(config, root: reader.root)
        }
        try reader.finish()
        return config
    }
}

/// The per-load state: secret resolution and names seen, for cross references.
private struct Context {
    let secrets: SecretResolver

    init(secrets: SecretResolver) { self.secrets = secrets }

    func location(_ node: YAMLNode) -> ConfigLocation {
        ConfigLocation(file: node.reader.file, line: node.line, column: node.column, keyPath: node.path)
    }

    /// A secret reference; nil if it is optional and unset (or if it is wrong, which is reported).
    func secret(_ node: YAMLNode) -> Secret? {
        guard let text = node.string() else { return nil }
        do {
            return try secrets.resolve(text)
        } catch {
            node.report(error.description)
            return nil
        }
    }

    func storage(_ node: YAMLNode, into s: inout StorageSettings) {
        guard let m = node.mapping(keys: ["path", "durability"]) else { return }
        if let v = m.optional("path")?.string() { s.path = v }
        if let v = m.optional("durability")?.oneOf(Durability.allCases.map(\.rawValue)) { s.durability = Durability(rawValue: v)! }
    }

    func http(_ node: YAMLNode, into h: inout HTTPSettings) {
        guard let m = node.mapping(keys: ["host", "port", "apiTokens"]) else { return }
        if let v = m.optional("host")?.string() { h.host = v }
        if let v = m.optional("port")?.int(in: 0...65535) { h.port = v }
        if let list = m.optional("apiTokens")?.sequence() { h.apiTokens = list.compactMap(secret) }
    }

    func logging(_ node: YAMLNode, into l: inout LoggingSettings) {
        guard let m = node.mapping(keys: ["level", "format"]) else { return }
        if let v = m.optional("level")?.oneOf(["trace", "debug", "info", "notice", "warning", "error", "critical"]) { l.level = v }
        if let v = m.optional("format")?.oneOf(LoggingSettings.Format.allCases.map(\.rawValue)) { l.format = .init(rawValue: v)! }
    }

    func expression(_ node: YAMLNode?) -> ExpressionSetting? {
        guard let node, let text = node.string() else { return nil }
        return ExpressionSetting(source: text, location: location(node))
    }

    func source(name: String, _ node: YAMLNode) -> SourceSettings? {
        guard let m = node.mapping(keys: ["type", "path", "maxBodyBytes", "contentTypes", "signature", "idempotencyKey"]) else { return nil }
        guard let type = m.required("type")?.oneOf(["webhook"]) else { return nil }
        switch type {
        default:
            guard let path = m.required("path")?.string() else { return nil }
            if !path.hasPrefix("/") { m.required("path")?.report("a webhook path starts with '/'") }
            var settings = WebhookSettings(path: path, signature: .none)
            if let v = m.optional("maxBodyBytes")?.int(in: 1...(256 << 20)) { settings.maxBodyBytes = v }
            if let list = m.optional("contentTypes")?.sequence() { settings.contentTypes = list.compactMap { $0.string()?.lowercased() } }
            if let sig = m.required("signature") { settings.signature = signature(sig) ?? .none }
            if let key = m.optional("idempotencyKey")?.mapping(keys: ["header", "expression"]) {
                if let h = key.optional("header")?.string() {
                    settings.idempotencyKey = .header(h)
                } else if let e = expression(key.optional("expression")) {
                    settings.idempotencyKey = .expression(e.source, e.location)
                } else {
                    key.node.report("idempotencyKey needs 'header' or 'expression'")
                }
            }
            return SourceSettings(name: name, kind: .webhook(settings), location: location(node))
        }
    }

    func signature(_ node: YAMLNode) -> WebhookSettings.SignatureSettings? {
        guard let m = node.mapping(keys: ["scheme", "secrets", "tolerance", "header", "algorithm", "encoding", "prefix"]) else { return nil }
        guard let scheme = m.required("scheme")?.oneOf(["standard-webhooks", "hmac", "none"]) else { return nil }
        let secretList = m.optional("secrets")?.sequence()?.compactMap(secret) ?? []
        switch scheme {
        case "none":
            return WebhookSettings.SignatureSettings.none
        case "standard-webhooks":
            if secretList.isEmpty { m.node.report("standard-webhooks needs at least one secret in 'secrets'") }
            for key in ["header", "algorithm", "encoding", "prefix"] where m.has(key) {
                m.optional(key)?.report("'\(key)' applies to scheme hmac only")
            }
            return .standardWebhooks(secrets: secretList, tolerance: m.optional("tolerance")?.duration() ?? .seconds(300))
        default:
            if secretList.isEmpty { m.node.report("hmac needs at least one secret in 'secrets'") }
            guard let header = m.required("header")?.string() else { return nil }
            let algorithm = m.optional("algorithm")?.oneOf(["sha256", "sha1"]) ?? "sha256"
            let encoding = m.optional("encoding")?.oneOf(["hex", "base64"]) ?? "hex"
            let prefix = m.optional("prefix")?.string() ?? ""
            return .hmac(header: header, algorithm: algorithm, encoding: encoding, prefix: prefix, secrets: secretList)
        }
    }

    func endpoint(name: String, _ node: YAMLNode) -> EndpointSettings? {
        let keys = ["type", "url", "headers", "signing", "timeout", "connectTimeout", "maximumConcurrentCalls", "redelivery", "circuitBreaker"]
        guard let m = node.mapping(keys: keys) else { return nil }
        guard m.required("type")?.oneOf(["http"]) != nil else { return nil }
        var e = EndpointSettings(name: name, url: nil, location: location(node))
        if let u = m.required("url") {
            e.url = secret(u)?.reveal()
            if let url = e.url, URL(string: url)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                u.report("'\(url)' is not an http or https URL")
            }
        }
        if let h = m.optional("headers")?.mapping() {
            e.headers = h.entries.compactMap { entry in entry.value.string().map { (entry.key, $0) } }
        }
        if let s = m.optional("signing")?.mapping(keys: ["scheme", "secret"]) {
            _ = s.required("scheme")?.oneOf(["standard-webhooks"])
            if let secretNode = s.required("secret") { e.signingSecret = secret(secretNode) }
        }
        if let v = m.optional("timeout")?.duration() { e.timeout = v }
        if let v = m.optional("connectTimeout")?.duration() { e.connectTimeout = v }
        if let v = m.optional("maximumConcurrentCalls")?.int(in: 1...1024) { e.maximumConcurrentCalls = v }
        if let r = m.optional("redelivery")?.mapping(keys: ["maximumRedeliveries", "redeliveryDelay", "backOffMultiplier", "maximumRedeliveryDelay", "jitter"]) {
            if let v = r.optional("maximumRedeliveries")?.int(in: 0...10_000) { e.redelivery.maximumRedeliveries = v }
            if let v = r.optional("redeliveryDelay")?.duration() { e.redelivery.redeliveryDelay = v }
            if let v = r.optional("backOffMultiplier")?.double(in: 1...100) { e.redelivery.backOffMultiplier = v }
            if let v = r.optional("maximumRedeliveryDelay")?.duration() { e.redelivery.maximumRedeliveryDelay = v }
            if let v = r.optional("jitter")?.double(in: 0...1) { e.redelivery.jitter = v }
        }
        if let c = m.optional("circuitBreaker")?.mapping(keys: [
            "slidingWindowType", "slidingWindowSize", "minimumNumberOfCalls", "failureRateThreshold", "slowCallRateThreshold",
            "slowCallDurationThreshold", "waitDurationInOpenState", "permittedNumberOfCallsInHalfOpenState",
        ]) {
            if let v = c.optional("slidingWindowType")?.oneOf(["COUNT_BASED", "TIME_BASED"]) { e.circuitBreaker.slidingWindowType = v }
            if let v = c.optional("slidingWindowSize")?.int(in: 1...100_000) { e.circuitBreaker.slidingWindowSize = v }
            if let v = c.optional("minimumNumberOfCalls")?.int(in: 1...100_000) { e.circuitBreaker.minimumNumberOfCalls = v }
            if let v = c.optional("failureRateThreshold")?.double(in: 0.1...100) { e.circuitBreaker.failureRateThreshold = v }
            if let v = c.optional("slowCallRateThreshold")?.double(in: 0.1...100) { e.circuitBreaker.slowCallRateThreshold = v }
            if let v = c.optional("slowCallDurationThreshold")?.duration() { e.circuitBreaker.slowCallDurationThreshold = v }
            if let v = c.optional("waitDurationInOpenState")?.duration() { e.circuitBreaker.waitDurationInOpenState = v }
            if let v = c.optional("permittedNumberOfCallsInHalfOpenState")?.int(in: 1...10_000) { e.circuitBreaker.permittedNumberOfCallsInHalfOpenState = v }
        }
        return e
    }

    func route(_ node: YAMLNode) -> RouteSettings? {
        guard let m = node.mapping(keys: ["name", "from", "when", "steps"]) else { return nil }
        guard let name = m.required("name")?.string(), let from = m.required("from")?.string() else { return nil }
        let steps = m.required("steps")?.sequence()?.compactMap(step) ?? []
        return RouteSettings(name: name, from: from, when: expression(m.optional("when")), steps: steps, location: location(node))
    }

    func targets(_ node: YAMLNode) -> [String] {
        if case .scalar = node.node { return node.string().map { [$0] } ?? [] }
        return node.sequence()?.compactMap { $0.string() } ?? []
    }

    static let stepKinds = ["transform", "split", "aggregate", "choice", "recipientList", "wireTap", "filter", "to"]

    func step(_ node: YAMLNode) -> StepSettings? {
        guard let m = node.mapping(keys: Self.stepKinds) else { return nil }
        guard m.entries.count == 1, let (kind, value) = m.entries.first.map({ ($0.key, $0.value) }) else {
            node.report("a step has exactly one of: \(Self.stepKinds.joined(separator: ", "))")
            return nil
        }
        switch kind {
        case "transform":
            return value.string().map { .transform(mappingPath: $0, location: location(value)) }
        case "split":
            return expression(value).map { .split($0) }
        case "filter":
            return expression(value).map { .filter($0) }
        case "recipientList":
            return expression(value).map { .recipientList($0) }
        case "wireTap":
            return .wireTap(targets(value))
        case "to":
            return .to(targets(value), location: location(value))
        case "aggregate":
            guard let a = value.mapping(keys: ["correlation", "completionSize", "completionTimeout", "completionPredicate"]) else { return nil }
            guard let correlation = expression(a.required("correlation")) else { return nil }
            let size = a.optional("completionSize")?.int(in: 1...1_000_000)
            let timeout = a.optional("completionTimeout")?.duration()
            let predicate = expression(a.optional("completionPredicate"))
            if size == nil, timeout == nil, predicate == nil {
                a.node.report("an aggregate needs completionSize, completionTimeout or completionPredicate, or it never completes")
            }
            return .aggregate(correlation: correlation, completionSize: size, completionTimeout: timeout, completionPredicate: predicate)
        default:  // choice
            guard let c = value.mapping(keys: ["when", "otherwise"]) else { return nil }
            var whens: [(ExpressionSetting, [StepSettings])] = []
            for branch in c.required("when")?.sequence() ?? [] {
                guard let b = branch.mapping(keys: ["expression", "steps"]) else { continue }
                guard let e = expression(b.required("expression")) else { continue }
                whens.append((e, b.required("steps")?.sequence()?.compactMap(step) ?? []))
            }
            let otherwise = c.optional("otherwise")?.sequence()?.compactMap(step) ?? []
            return .choice(whens: whens, otherwise: otherwise)
        }
    }

    /// Names that refer to each other must exist: route sources, endpoints in `to`.
    func crossCheck(_ config: PakLogConfiguration, root: YAMLNode) {
        let sources = Set(config.sources.map(\.name))
        let endpoints = Set(config.endpoints.map(\.name))
        var routeNames = Set<String>()
        func check(_ targets: [String], at loc: ConfigLocation) {
            for t in targets {
                if t.hasPrefix("topic:") { continue }
                let name = t.hasPrefix("endpoint:") ? String(t.dropFirst(9)) : t
                if !endpoints.contains(name) {
                    root.reader.report(at: loc, "'\(t)' is not a configured endpoint (endpoints: \(endpoints.sorted().joined(separator: ", ")); topics are written topic:NAME)")
                }
            }
        }
        func walk(_ steps: [StepSettings], _ loc: ConfigLocation) {
            for s in steps {
                switch s {
                case .to(let t, let l): check(t, at: l)
                case .wireTap(let t): check(t, at: loc)
                case .choice(let whens, let otherwise):
                    whens.forEach { walk($0.1, loc) }
                    walk(otherwise, loc)
                default: break
                }
            }
        }
        for r in config.routes {
            if !routeNames.insert(r.name).inserted { root.reader.report(at: r.location, "duplicate route name '\(r.name)'") }
            let isLog = r.from.hasPrefix("topic:") || r.from.hasPrefix("category:")
            if !isLog, !sources.contains(r.from) {
                root.reader.report(at: r.location, "route '\(r.name)' is from '\(r.from)', which is neither a source (\(sources.sorted().joined(separator: ", "))) nor topic:NAME")
            }
            walk(r.steps, r.location)
        }
    }
}

extension YAMLReader {
    func report(at location: ConfigLocation, _ message: String) {
        diagnosticsAppend(YAMLDiagnostic(file: location.file, line: location.line, column: location.column, keyPath: location.keyPath, message: message))
    }
}
