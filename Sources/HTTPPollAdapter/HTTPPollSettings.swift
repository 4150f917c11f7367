import AdapterKit
import Foundation
import Mapping

/// An `http-poll` source's section, as read from the configuration (secrets still references).
public struct HTTPPollSettings: SourceConfiguration, Equatable {
    /// The first page.
    public var url: String
    public var every: Duration
    /// The fraction of `every` that each firing may be moved by (see `ScheduleDefinition.every`).
    public var jitter: Double = 0
    /// Sent with every request; values are secret references.
    public var headers: [(String, Secret)] = []
    /// JSONata over `{headers, body}` of a response: the page's items (an array).
    public var items: ExpressionSetting
    /// JSONata over one item: its idempotency key (a non-empty string or a number).
    public var itemKey: ExpressionSetting
    /// JSONata over `{headers, body}`: the cursor of the next page; absent, null or empty means
    /// caught up. Without it every firing reads the first page only.
    public var nextPage: ExpressionSetting?
    /// The query parameter that carries the cursor.
    public var cursorParameter: String?
    /// One request's whole time.
    public var timeout: Duration = .seconds(30)

    public init(url: String, every: Duration, items: ExpressionSetting, itemKey: ExpressionSetting) {
        self.url = url
        self.every = every
        self.items = items
        self.itemKey = itemKey
    }

    public func makeSource(_ context: SourceContext) throws -> any Source {
        let poller = HTTPPoller(
            source: context.name,
            configuration: try HTTPPoller.Configuration(
                url: url, headers: headers.map { ($0.0, $0.1.reveal()) }, items: try compile(items, "items"),
                itemKey: try compile(itemKey, "itemKey"), nextPage: try nextPage.map { try compile($0, "nextPage") },
                cursorParameter: cursorParameter, timeout: timeout),
            store: context.store, client: context.httpClient, logger: context.logger)
        return HTTPPollSource(job: poller.job(every: every, jitter: jitter), scheduler: context.scheduler)
    }

    private func compile(_ setting: ExpressionSetting, _ key: String) throws -> JSONataExpression {
        do {
            return try JSONataExpression(setting.source)
        } catch {
            throw HTTPPollConfigurationError(description: "\(setting.location): \(key) does not compile: \(error)")
        }
    }

    public static func == (a: HTTPPollSettings, b: HTTPPollSettings) -> Bool {
        a.url == b.url && a.every == b.every && a.jitter == b.jitter && a.items == b.items && a.itemKey == b.itemKey
            && a.nextPage == b.nextPage && a.cursorParameter == b.cursorParameter && a.timeout == b.timeout
            && a.headers.elementsEqual(b.headers) { $0 == $1 }
    }
}

struct HTTPPollConfigurationError: Error, CustomStringConvertible {
    let description: String
}
