import AdapterKit
import EventStore
import Foundation
import Gateway
import HTTPClient
import Logging
import Messaging

/// Turns configuration settings into running sources and the engine's endpoint definitions,
/// through each entry's kind. Problems are collected with their configuration location, so a
/// refused file names every one.
struct RuntimeDefinitions {
    /// A source as configured and as built.
    struct BuiltSource {
        var settings: SourceSettings
        var source: any Source
    }

    var sources: [BuiltSource] = []
    var endpoints: [EndpointDefinition] = []
    /// Endpoints configured but switched off, with the reason (their URL came from an unset
    /// optional variable).
    var disabledEndpoints: [String: String] = [:]
    var problems: [String] = []

    init(configuration: PakLogConfiguration, inbox: Inbox, client: HTTPClient, scheduler: Scheduler, logger: Logger) {
        for settings in configuration.sources {
            var sourceLogger = logger
            sourceLogger[metadataKey: "source"] = "\(settings.name)"
            let context = SourceContext(name: settings.name, inbox: inbox, store: inbox.store, httpClient: client, logger: sourceLogger,
                                        scheduler: scheduler)
            do {
                sources.append(BuiltSource(settings: settings, source: try settings.configuration.makeSource(context)))
            } catch {
                problems.append("\(settings.location): source '\(settings.name)': \(error)")
            }
        }
        if configuration.http.tls?.clientCA.isEmpty ?? true {
            for settings in configuration.sources where settings.configuration.requiresClientCertificate {
                problems.append("\(settings.location): source '\(settings.name)' requires a TLS client certificate, but the listener asks for none "
                                + "(http.tls with clientCA: the CAs that sign partners' certificates)")
            }
        }
        let paths = HTTPIngress.duplicatePaths(sources.flatMap(\.source.httpIngress))
        for path in paths {
            let owners = sources.filter { $0.source.httpIngress.contains { $0.path == path } }.map(\.settings)
            problems.append("\(owners[1].location): source '\(owners[1].name)' answers \(path), which source '\(owners[0].name)' answers already")
        }
        for e in configuration.endpoints {
            if let reason = e.configuration.disabledReason {
                disabledEndpoints[e.name] = reason
                continue
            }
            var endpointLogger = logger
            endpointLogger[metadataKey: "endpoint"] = "\(e.name)"
            do {
                let endpoint = try e.configuration.makeEndpoint(EndpointContext(name: e.name, httpClient: client, logger: endpointLogger))
                let definition = try Self.definition(e, endpoint: endpoint)
                let errors = definition.validationErrors()
                if errors.isEmpty { endpoints.append(definition) } else { problems += errors.map { "\(e.location): \($0)" } }
            } catch let error as ExpressionProblem {
                problems.append(error.message)
            } catch {
                problems.append("\(e.location): endpoint '\(e.name)': \(error)")
            }
        }
    }

    /// The dispatcher's settings around an endpoint (Camel's redelivery, resilience4j's breaker).
    static func definition(_ e: EndpointSettings, endpoint: any Endpoint) throws -> EndpointDefinition {
        let r = e.redelivery
        let c = e.circuitBreaker
        func compile(_ x: ExpressionSetting?) throws -> RouteExpression? {
            guard let x else { return nil }
            do { return try RouteExpression(x.source) } catch { throw ExpressionProblem(message: "\(x.location): \(error)") }
        }
        let acknowledgment = try e.acknowledgment.map { a in
            AcknowledgmentPolicy(key: try compile(a.key), timeout: a.timeout, onTimeout: AcknowledgmentPolicy.OnTimeout(rawValue: a.onTimeout) ?? .redeliver)
        } ?? e.configuration.defaultAcknowledgment
        return EndpointDefinition(
            name: e.name, endpoint: endpoint,
            retryPolicy: RetryPolicy(
                maximumRedeliveries: r.maximumRedeliveries, redeliveryDelay: r.redeliveryDelay,
                backOffMultiplier: r.backOffMultiplier, maximumRedeliveryDelay: r.maximumRedeliveryDelay,
                collisionAvoidanceFactor: r.jitter),
            circuitBreaker: CircuitBreakerConfiguration(
                failureRateThreshold: c.failureRateThreshold, slowCallRateThreshold: c.slowCallRateThreshold,
                slowCallDurationThreshold: c.slowCallDurationThreshold,
                slidingWindowType: c.slidingWindowType == "TIME_BASED" ? .timeBased : .countBased,
                slidingWindowSize: c.slidingWindowSize, minimumNumberOfCalls: c.minimumNumberOfCalls,
                waitDurationInOpenState: c.waitDurationInOpenState,
                permittedNumberOfCallsInHalfOpenState: c.permittedNumberOfCallsInHalfOpenState),
            maximumConcurrentDeliveries: e.maximumConcurrentCalls,
            exchangePattern: ExchangePattern(rawValue: e.exchangePattern) ?? .inOnly,
            acknowledgment: acknowledgment,
            ordering: OrderingPolicy(key: try compile(e.orderingKey), onDeadLetter: OrderingPolicy.OnDeadLetter(rawValue: e.onDeadLetter) ?? .continue))
    }

    /// An expression of the endpoint's section that does not compile (the message has its place).
    struct ExpressionProblem: Error {
        var message: String
    }
}
