import AdapterKit
import Foundation
import StrictYAML

/// The `http-poll` source kind: reads a paging HTTP API on a schedule and puts every item of
/// every page in the inbox, once.
///
/// ```yaml
/// sources:
///   erp-orders:
///     type: http-poll
///     url: http://127.0.0.1:8080/orders   # first page
///     every: 30s                          # on the daemon's scheduler (jitter: 0.1 spreads it)
///     headers: {Authorization: "Bearer ${env:ERP_TOKEN}"}   # values may hold secret references
///     items: body.orders                  # JSONata over {headers, body}: the page's items
///     itemKey: id                         # JSONata over one item: its idempotency key
///     nextPage: body.next                 # JSONata: the next page's cursor (none: caught up)
///     cursorParameter: page_info          # the query parameter that carries it
/// ```
///
/// Each page's items are committed in one transaction with the cursor `poll-<source>`, and each
/// item with its own idempotency key `<source>:<itemKey>`: a crash after a page was stored reads
/// nothing twice, and a page that overlaps the previous one stores only its new items.
public struct HTTPPollSourceKind: SourceKind {
    public init() {}

    public let type = "http-poll"
    public let keys = ["url", "every", "jitter", "headers", "items", "itemKey", "nextPage", "cursorParameter", "timeout"]

    public func configuration(_ section: ConfigurationSection) -> (any SourceConfiguration)? {
        let m = section.mapping
        guard let urlNode = m.required("url"), let url = urlNode.string() else { return nil }
        if URL(string: url)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            urlNode.report("'\(url)' is not an http or https URL")
        }
        guard let every = m.required("every")?.duration() else { return nil }
        guard let items = section.expression(m.required("items")), let itemKey = section.expression(m.required("itemKey")) else { return nil }
        var settings = HTTPPollSettings(url: url, every: every, items: items, itemKey: itemKey)
        if let node = m.optional("every"), every < .milliseconds(100) { node.report("every must be at least 100ms") }
        if let v = m.optional("jitter")?.double(in: 0...0.9) { settings.jitter = v }
        if let h = m.optional("headers")?.mapping() {
            settings.headers = h.entries.compactMap { entry in section.secret(entry.value).map { (entry.key, $0) } }
        }
        settings.nextPage = section.expression(m.optional("nextPage"))
        if let v = m.optional("cursorParameter")?.string() { settings.cursorParameter = v }
        if settings.nextPage != nil, settings.cursorParameter == nil {
            m.node.report("nextPage needs cursorParameter: the query parameter that carries the cursor")
        }
        if let v = m.optional("timeout")?.duration() { settings.timeout = v }
        return settings
    }
}
