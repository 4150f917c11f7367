import EventStore
import HTTPClient
import Logging
import Messaging

/// What a source is built with.
public struct SourceContext: Sendable {
    /// The source's name in the configuration: its inbox stream is `inbox-<name>`.
    public var name: String
    /// Where it puts what it receives; it may acknowledge its partner once `accept` returned.
    public var inbox: Inbox
    /// The log, for pollers that keep a cursor with the messages a poll produced.
    public var store: any EventStore
    /// The daemon's HTTP client (one connection pool for all).
    public var httpClient: HTTPClient
    /// Labelled with the source's name.
    public var logger: Logger
    /// The daemon's scheduler, for pollers: a source runs its periodic job with
    /// `scheduler.run(_:)` from one of its `services`, so the job stops with the source and its
    /// status shows on `/readyz`.
    public var scheduler: Scheduler

    /// - Parameter scheduler: the daemon's; without one, the source gets its own over the same
    ///   store (durable all the same, but not listed with the daemon's jobs).
    public init(name: String, inbox: Inbox, store: any EventStore, httpClient: HTTPClient, logger: Logger, scheduler: Scheduler? = nil) {
        self.name = name
        self.inbox = inbox
        self.store = store
        self.httpClient = httpClient
        self.logger = logger
        self.scheduler = scheduler ?? Scheduler(store: store, logger: logger)
    }
}

/// What an endpoint is built with.
public struct EndpointContext: Sendable {
    /// The endpoint's name: its streams are `outbox-<name>`, `breaker-<name>` and its dead
    /// letters `dlq-endpoint-<name>`.
    public var name: String
    /// The daemon's HTTP client (one connection pool for all).
    public var httpClient: HTTPClient
    /// Labelled with the endpoint's name.
    public var logger: Logger

    public init(name: String, httpClient: HTTPClient, logger: Logger) {
        self.name = name
        self.httpClient = httpClient
        self.logger = logger
    }
}
