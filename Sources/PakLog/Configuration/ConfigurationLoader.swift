import AdapterKit
import Codecs
import EventStore
import Foundation
import Gateway
import Messaging
import Warehouse
import WarehouseService
import StrictYAML

/// Reads and validates the YAML configuration. Every problem is reported with file, line, column
/// and key path; all of them at once, so one `paklog config check` run shows everything to fix.
/// The sections of sources and endpoints are read by their kinds (`kinds`), found by `type:`.
public struct ConfigurationLoader {
    public var environment: [String: String]
    public var kinds: KindRegistry

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, kinds: KindRegistry = .builtIn) {
        self.environment = environment
        self.kinds = kinds
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
        var context = Context(secrets: secrets, kinds: kinds)
        if let root = reader.root.mapping(keys: ["storage", "http", "logging", "warehouse", "partners", "sources", "endpoints", "routes"]) {
            if let node = root.optional("partners") {
                config.partners = PartnerDirectory(PartnerProfileReader(secrets: secrets).profiles(node))
                context.partners = config.partners
            }
            if let node = root.optional("storage") { context.storage(node, into: &config.storage) }
            if let node = root.optional("http") { context.http(node, into: &config.http) }
            if let node = root.optional("logging") { context.logging(node, into: &config.logging) }
            if let node = root.optional("warehouse") { context.warehouse(node, into: &config.warehouse) }
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

/// What reading one file needs: secret resolution and the registered kinds.
private struct Context {
    let secrets: SecretResolver
    let kinds: KindRegistry
    var partners = PartnerDirectory()

    func location(_ node: YAMLNode) -> ConfigLocation { ConfigLocation(node) }

    func secret(_ node: YAMLNode) -> Secret? { secrets.resolve(node) }

    func storage(_ node: YAMLNode, into s: inout StorageSettings) {
        guard let m = node.mapping(keys: ["path", "durability", "idempotencyRetention"]) else { return }
        if let v = m.optional("path")?.string() { s.path = v }
        if let v = m.optional("durability")?.oneOf(Durability.allCases.map(\.rawValue)) { s.durability = Durability(rawValue: v)! }
        if let node = m.optional("idempotencyRetention"), let v = node.duration() {
            if v < .seconds(3600) { node.report("idempotencyRetention below 1h would forget keys while partners still redeliver") } else { s.idempotencyRetention = v }
        }
    }

    func http(_ node: YAMLNode, into h: inout HTTPSettings) {
        guard let m = node.mapping(keys: ["host", "port", "apiTokens", "rateLimit", "jwt", "maxBodyBytes", "maxImportBytes", "cors", "tls"]) else { return }
        if let t = m.optional("tls")?.mapping(keys: ["certificate", "privateKey", "clientCA", "http2"]),
           let certificate = t.required("certificate")?.string(), let key = t.required("privateKey")?.string() {
            func full(_ path: String) -> String { path.hasPrefix("/") ? path : secrets.baseDirectory + "/" + path }
            var settings = GatewayTLSSettings(certificate: full(certificate), privateKey: full(key))
            settings.clientCA = (t.optional("clientCA")?.sequence() ?? []).compactMap { $0.string() }.map(full)
            if let v = t.optional("http2")?.bool() { settings.http2 = v }
            // Read now, so that a wrong file is reported at its place and not at the first handshake.
            do { _ = try GatewayTLSContext(settings: settings); h.tls = settings } catch { t.node.report(error.description) }
        }
        if let v = m.optional("maxBodyBytes")?.int(in: 1...(1 << 30)) { h.bodySizeLimits.maxBodyBytes = v }
        if let v = m.optional("maxImportBytes")?.int(in: 1...(1 << 34)) { h.bodySizeLimits.maxImportBytes = v }
        if let c = m.optional("cors")?.mapping(keys: ["allowedOrigins", "maxAge"]) {
            for node in c.optional("allowedOrigins")?.sequence() ?? [] {
                guard let origin = node.string() else { continue }
                if let problem = CORSPolicy.problem(origin: origin) { node.report(problem) } else { h.cors.allowedOrigins.append(origin) }
            }
            if let v = c.optional("maxAge")?.int(in: 0...86_400) { h.cors.maxAge = v }
        }
        if let j = m.optional("jwt")?.mapping(keys: ["issuer", "audience", "keys", "jwks"]),
           let issuer = j.required("issuer")?.string(), let audience = j.required("audience")?.string() {
            var keys: [JWTVerifier.Key] = []
            var jwksRefused = false
            for k in (j.has("jwks") ? j.optional("keys") : j.required("keys"))?.sequence() ?? [] {
                guard let km = k.mapping(keys: ["id", "publicKey", "secret"]) else { continue }
                let id = km.optional("id")?.string()
                if let file = km.optional("publicKey"), let path = file.string() {
                    let full = path.hasPrefix("/") ? path : secrets.baseDirectory + "/" + path
                    do { keys.append(.publicKey(id: id, try PublicKey(file: full))) } catch { file.report("\(error)") }
                } else if let node = km.optional("secret"), let secret = secret(node) {
                    keys.append(.secret(id: id, Array(secret.reveal().utf8)))
                } else {
                    k.report("a JWT key has publicKey (a PEM file) or secret (by reference)")
                }
            }
            if let file = j.optional("jwks"), let path = file.string() {
                let full = path.hasPrefix("/") ? path : secrets.baseDirectory + "/" + path
                do { keys += try JSONWebKeySet(file: full).keys } catch {
                    file.report("\(error)")
                    jwksRefused = true
                }
            }
            if !keys.isEmpty {
                h.jwt = JWTVerifier(keys: keys, issuer: issuer, audience: audience)
            } else if !jwksRefused {  // a refused file is reported already
                j.node.report("jwt needs at least one key (keys, or a jwks file with one)")
            }
        }
        if let v = m.optional("host")?.string() { h.host = v }
        if let v = m.optional("port")?.int(in: 0...65535) { h.port = v }
        if let list = m.optional("apiTokens")?.sequence() { h.apiTokens = list.compactMap(secret) }
        if let r = m.optional("rateLimit")?.mapping(keys: ["requestsPerSecond", "burst", "scopes"]) {
            h.rateLimit = r.rateLimit(base: h.rateLimit)
            for (scope, node) in r.optional("scopes")?.mapping()?.entries.map({ ($0.key, $0.value) }) ?? [] {
                if !APIScopes.all.contains(scope) { node.report("'\(scope)' is not a scope (\(APIScopes.all.joined(separator: ", ")))") }
                if let sm = node.mapping(keys: ["requestsPerSecond", "burst"]) { h.rateLimits[scope] = sm.rateLimit(base: h.rateLimit) }
            }
        }
    }

    func warehouse(_ node: YAMLNode, into w: inout WarehouseConfiguration) {
        guard let m = node.mapping(keys: ["ssccCompanyPrefix", "layout", "tours", "backOrderPolicy", "carriers", "labelTimeout", "waves", "imports"]) else { return }
        if let n = m.optional("ssccCompanyPrefix"), let v = n.string() {
            if (7...10).contains(v.utf8.count), v.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { w.settings.sscc = SSCCGenerator(companyPrefix: v) } else {
                n.report("a GS1 company prefix has 7 to 10 digits, got '\(v)'")
            }
        }
        if let l = m.optional("layout")?.mapping(keys: ["aisles", "baysPerAisle", "aisleSpacing", "bayLength", "crossAisleDepth", "depotAisle"]) {
            var layout = w.settings.layout
            if let v = l.optional("aisles")?.int(in: 1...1000) { layout.aisles = v }
            if let v = l.optional("baysPerAisle")?.int(in: 1...10_000) { layout.baysPerAisle = v }
            if let v = l.optional("aisleSpacing")?.double(in: 0.1...100) { layout.aisleSpacing = v }
            if let v = l.optional("bayLength")?.double(in: 0.1...100) { layout.bayLength = v }
            if let v = l.optional("crossAisleDepth")?.double(in: 0...100) { layout.crossAisleDepth = v }
            if let v = l.optional("depotAisle")?.double(in: 0...1000) { layout.depotAisle = v }
            w.settings.layout = layout
        }
        if let t = m.optional("tours")?.mapping(keys: ["maxOrders", "maxUnits", "maxStops"]) {
            if let v = t.optional("maxOrders")?.int(in: 1...1000) { w.settings.tourLimits.maxOrders = v }
            if let v = t.optional("maxUnits")?.int(in: 1...1_000_000) { w.settings.tourLimits.maxUnits = v }
            if let v = t.optional("maxStops")?.int(in: 1...10_000) { w.settings.tourLimits.maxStops = v }
        }
        if let v = m.optional("backOrderPolicy")?.oneOf(BackOrderPolicy.allCases.map(\.rawValue)) { w.settings.backOrderPolicy = BackOrderPolicy(rawValue: v)! }
        if let c = m.optional("carriers")?.mapping() {
            for (level, node) in c.entries {
                guard let e = node.mapping(keys: ["carrier", "service"]), let carrier = e.required("carrier")?.string(), let service = e.required("service")?.string() else { continue }
                w.settings.carrierServices[level] = CarrierService(carrier: carrier, service: service)
            }
        }
        if let v = m.optional("labelTimeout")?.duration() { w.labelTimeout = v }
        if let node = m.optional("waves") { waves(node, into: &w.waves) }
        if let node = m.optional("imports") { imports(node, into: &w.imports) }
    }

    func waves(_ node: YAMLNode, into w: inout WaveScheduleSettings) {
        guard let m = node.mapping(keys: ["every", "release", "maxOrders", "maxLines", "maxUnits", "cutoffWindow"]) else { return }
        if let n = m.optional("every"), let v = n.duration() {
            if v < .seconds(10) { n.report("waves are created at most every 10s, got \(v)") } else { w.every = v }
        }
        if let v = m.optional("release")?.oneOf(["scheduled", "manual"]) { w.release = v == "scheduled" }
        if let v = m.optional("maxOrders")?.int(in: 1...10_000) { w.limits.maxOrders = v }
        if let v = m.optional("maxLines")?.int(in: 1...1_000_000) { w.limits.maxLines = v }
        if let v = m.optional("maxUnits")?.int(in: 1...10_000_000) { w.limits.maxUnits = v }
        if let n = m.optional("cutoffWindow"), let v = n.duration() {
            let ms = v.components.seconds * 1000 + v.components.attoseconds / 1_000_000_000_000_000
            if ms < 60_000 { n.report("a cut-off window is at least 1m, got \(v)") } else { w.limits.cutoffWindow = ms }
        }
    }

    func imports(_ node: YAMLNode, into i: inout WarehouseImportSettings) {
        guard let m = node.mapping(keys: ["folder", "pollInterval", "delimiter"] + WarehouseImportKind.allCases.map(\.rawValue)) else { return }
        if let v = m.optional("folder")?.string() { i.folder = v }
        if let v = m.optional("delimiter")?.oneOf(WarehouseImportSettings.delimiters.keys.sorted()) { i.delimiter = WarehouseImportSettings.delimiters[v]! }
        if let n = m.optional("pollInterval"), let v = n.duration() {
            if v < .milliseconds(100) { n.report("pollInterval below 100ms would scan the folder without pause") } else { i.pollInterval = v }
        }
        for kind in WarehouseImportKind.allCases {
            guard let k = m.optional(kind.rawValue)?.mapping(keys: ["mapping"]), let p = k.required("mapping"), let path = p.string() else { continue }
            i.mappings[kind] = .init(path: path, location: location(p))
        }
    }

    func logging(_ node: YAMLNode, into l: inout LoggingSettings) {
        guard let m = node.mapping(keys: ["level", "format"]) else { return }
        if let v = m.optional("level")?.oneOf(["trace", "debug", "info", "notice", "warning", "error", "critical"]) { l.level = v }
        if let v = m.optional("format")?.oneOf(LoggingSettings.Format.allCases.map(\.rawValue)) { l.format = .init(rawValue: v)! }
    }

    func expression(_ node: YAMLNode?) -> ExpressionSetting? { node.flatMap(ExpressionSetting.init) }

    /// The `type:` of a source or endpoint entry, checked against the registered kinds, and the
    /// entry's mapping with the kind's keys (plus `common`) allowed.
    func entry<Kind>(name: String, _ node: YAMLNode, kinds: [String: Kind], what: String, keys: (Kind) -> [String], common: [String] = [])
        -> (kind: Kind, type: String, section: ConfigurationSection)?
    {
        checkName(name, node)
        guard let raw = node.mapping() else { return nil }
        guard let typeNode = raw.required("type"), let type = typeNode.string() else { return nil }
        guard let kind = kinds[type] else {
            typeNode.report("'\(type)' is not a \(what) kind of this daemon (\(kinds.keys.sorted().joined(separator: ", ")))")
            return nil
        }
        guard let m = node.mapping(keys: ["type"] + keys(kind) + common) else { return nil }
        return (kind, type, ConfigurationSection(name: name, mapping: m, secrets: secrets, partners: partners))
    }

    /// Names become stream names (`inbox-<source>`, `outbox-<endpoint>`, `dlq-route-<route>`): a
    /// letter or digit, then letters, digits, `.`, `_` and `-`; never `events`, which would make
    /// a stream that looks like a topic (see `Topic`).
    func checkName(_ name: String, _ node: YAMLNode) {
        func isAlphanumeric(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        if let problem = StreamName.problem(withID: name) {
            node.report("the name '\(name)' \(problem)")
        } else if !isAlphanumeric(name.utf8.first!) || !name.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) {
            node.report("the name '\(name)' must start with a letter or digit and hold only letters, digits, '.', '_' and '-'")
        }
    }

    func source(name: String, _ node: YAMLNode) -> SourceSettings? {
        guard let (kind, type, section) = entry(name: name, node, kinds: kinds.sources, what: "source", keys: \.keys) else { return nil }
        guard let configuration = kind.configuration(section) else { return nil }
        return SourceSettings(name: name, type: type, configuration: configuration, location: location(node))
    }

    static let dispatcherKeys = ["maximumConcurrentCalls", "redelivery", "circuitBreaker", "exchangePattern", "orderingKey", "onDeadLetter", "acknowledgment"]

    func endpoint(name: String, _ node: YAMLNode) -> EndpointSettings? {
        guard let (kind, type, section) = entry(name: name, node, kinds: kinds.endpoints, what: "endpoint", keys: \.keys, common: Self.dispatcherKeys) else { return nil }
        guard let configuration = kind.configuration(section) else { return nil }
        let m = section.mapping
        var e = EndpointSettings(name: name, type: type, configuration: configuration, location: location(node))
        if let v = m.optional("maximumConcurrentCalls")?.int(in: 1...1024) { e.maximumConcurrentCalls = v }
        if let v = m.optional("exchangePattern")?.oneOf(ExchangePattern.allCases.map(\.rawValue)) { e.exchangePattern = v }
        e.orderingKey = expression(m.optional("orderingKey"))
        if let v = m.optional("onDeadLetter")?.oneOf(OrderingPolicy.OnDeadLetter.allCases.map(\.rawValue)) { e.onDeadLetter = v }
        if let a = m.optional("acknowledgment")?.mapping(keys: ["key", "timeout", "onTimeout"]) {
            var ack = AcknowledgmentSettings()
            ack.key = expression(a.optional("key"))
            if let v = a.required("timeout")?.duration() { ack.timeout = v }
            if let v = a.optional("onTimeout")?.oneOf(AcknowledgmentPolicy.OnTimeout.allCases.map(\.rawValue)) { ack.onTimeout = v }
            e.acknowledgment = ack
        }
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
        guard let nameNode = m.required("name"), let name = nameNode.string(), let from = m.required("from")?.string() else { return nil }
        checkName(name, nameNode)
        let steps = m.required("steps")?.sequence()?.compactMap(step) ?? []
        return RouteSettings(name: name, from: from, when: expression(m.optional("when")), steps: steps, location: location(node))
    }

    func targets(_ node: YAMLNode) -> [TargetSetting] {
        func target(_ node: YAMLNode) -> TargetSetting? {
            if case .scalar = node.node { return node.string().map { TargetSetting(text: $0) } }
            guard let m = node.mapping(keys: ["endpoint", "orderingKey"]), let name = m.required("endpoint")?.string() else { return nil }
            return TargetSetting(text: name.hasPrefix("endpoint:") ? name : "endpoint:" + name, orderingKey: expression(m.optional("orderingKey")))
        }
        if case .scalar = node.node { return target(node).map { [$0] } ?? [] }
        return node.sequence()?.compactMap(target) ?? []
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
            // `transform: path`, or `transform: {mapping: path, partner: name}` for X12 output.
            if case .scalar = value.node { return value.string().map { .transform(mappingPath: $0, partner: nil, location: location(value)) } }
            guard let t = value.mapping(keys: ["mapping", "partner"]), let path = t.required("mapping")?.string() else { return nil }
            return .transform(mappingPath: path, partner: t.optional("partner")?.string(), location: location(value))
        case "split":
            return expression(value).map { .split($0) }
        case "filter":
            return expression(value).map { .filter($0) }
        case "recipientList":
            return expression(value).map { .recipientList($0) }
        case "wireTap":
            return .wireTap(targets(value), location: location(value))
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

    /// Names that refer to each other must exist (route sources, endpoints in `to`), topics are
    /// topics, and no route writes to a topic the engine keeps for itself or reads its own output.
    func crossCheck(_ config: PakLogConfiguration, root: YAMLNode) {
        let sources = Set(config.sources.map(\.name))
        let endpoints = Set(config.endpoints.map(\.name))
        var routeNames = Set<String>()
        func report(_ location: ConfigLocation, _ message: String) { root.reader.report(at: location, message) }
        for profile in config.partners.profiles.values.sorted(by: { $0.name < $1.name }) {
            if let by = profile.x12?.acknowledgeBy, !endpoints.contains(by) {
                report(profile.location, "partner '\(profile.name)': x12.acknowledgeBy '\(by)' is not a configured endpoint (endpoints: \(endpoints.sorted().joined(separator: ", ")))")
            }
        }
        for r in config.routes {
            if !routeNames.insert(r.name).inserted { report(r.location, "duplicate route name '\(r.name)'") }
            var readTopic: Topic?
            switch RouteCompiler.source(r.from) {
            case .topic(.success(let topic)): readTopic = topic
            case .topic(.failure(let error)): report(r.location, "route '\(r.name)': from: \(error)")
            case .category(let category): readTopic = Topic(category: category)
            case .reply(let endpoint):
                if !endpoints.contains(endpoint) {
                    report(r.location, "route '\(r.name)' is from '\(r.from)', but '\(endpoint)' is not a configured endpoint (endpoints: \(endpoints.sorted().joined(separator: ", ")))")
                }
            case .source(let name):
                if !sources.contains(name) {
                    report(r.location, "route '\(r.name)' is from '\(r.from)', which is neither a source (\(sources.sorted().joined(separator: ", "))) nor topic:<category>-events")
                }
            }
            func check(_ targets: [TargetSetting], at location: ConfigLocation) {
                for target in targets {
                    let t = target.text
                    switch RouteCompiler.target(t) {
                    case .topic(.success(let (topic, _))):
                        if RouteCompiler.engineCategories.contains(topic.category) {
                            report(location, "'\(t)': the category '\(topic.category)' is the engine's own; routes write to topics such as order-events")
                        } else if topic == readTopic {
                            report(location, "'\(t)': route '\(r.name)' reads \(topic) and would read its own output again, forever")
                        }
                    case .topic(.failure(let error)):
                        report(location, "\(error)")
                    case .command(let type):
                        if !WarehouseCommands.names.contains(type) {
                            report(location, "'\(t)': '\(type)' is not a warehouse command (\(WarehouseCommands.names.joined(separator: ", ")))")
                        }
                    case .endpoint(let name), .acknowledge(let name):
                        if !endpoints.contains(name) {
                            report(location, "'\(t)' is not a configured endpoint (endpoints: \(endpoints.sorted().joined(separator: ", ")); topics are written topic:<category>-events)")
                        }
                    }
                }
            }
            func walk(_ steps: [StepSettings]) {
                for s in steps {
                    switch s {
                    case .to(let t, let l): check(t, at: l)
                    case .wireTap(let t, let l): check(t, at: l)
                    case .choice(let whens, let otherwise):
                        whens.forEach { walk($0.1) }
                        walk(otherwise)
                    default: break
                    }
                }
            }
            walk(r.steps)
        }
    }
}

extension YAMLReader {
    func report(at location: ConfigLocation, _ message: String) {
        diagnosticsAppend(YAMLDiagnostic(file: location.file, line: location.line, column: location.column, keyPath: location.keyPath, message: message))
    }
}
