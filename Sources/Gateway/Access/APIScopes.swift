import HTTPTypes

/// Which scope each API route asks of a key. Deny by default: a route that no rule names is
/// for `admin` only, so a route added without a rule is closed, not open.
public enum APIScopes {
    public static let admin = "admin"
    /// The route class of routes that any authenticated principal may call, whatever its
    /// scopes; not a scope a key is given (it is not in `all`).
    public static let authenticated = "authenticated"

    /// One route class: a method and a path pattern (`:name` matches one segment).
    public struct Rule: Sendable, Equatable {
        public var method: HTTPRequest.Method
        public var pattern: String
        public var scope: String
        /// A concrete path the pattern matches (for the scope matrix test and the docs).
        public var example: String
    }

    public static let rules: [Rule] = [
        rule(.get, "/metrics", "metrics:read"),
        // The API's description: any key may read it. It holds no data, only the routes and the
        // scope each asks for, and a client needs it to call the routes its key allows; it is
        // not public because nothing but the health checks answers without credentials.
        rule(.get, "/api/v1/openapi.json", authenticated),
        rule(.get, "/api/v1/orders", "orders:read"),
        rule(.get, "/api/v1/orders/:id", "orders:read", "/api/v1/orders/O-1"),
        rule(.get, "/api/v1/shipments", "orders:read"),
        rule(.post, "/api/v1/orders", "orders:write"),
        rule(.get, "/api/v1/inventory", "inventory:read"),
        rule(.get, "/api/v1/inventory/:sku", "inventory:read", "/api/v1/inventory/MUG"),
        rule(.get, "/api/v1/availability", "inventory:read"),
        rule(.get, "/api/v1/locations", "inventory:read"),
        rule(.get, "/api/v1/locations/:id", "inventory:read", "/api/v1/locations/A-01-01"),
        rule(.get, "/api/v1/items", "inventory:read"),
        rule(.get, "/api/v1/zones", "inventory:read"),
        rule(.get, "/api/v1/tasks", "operations:read"),
        rule(.get, "/api/v1/tasks/:id", "operations:read", "/api/v1/tasks/T-1"),
        rule(.get, "/api/v1/task-queue", "operations:read"),
        rule(.get, "/api/v1/waves", "operations:read"),
        rule(.get, "/api/v1/waves/:id", "operations:read", "/api/v1/waves/W-1"),
        rule(.get, "/api/v1/cartons/:id", "operations:read", "/api/v1/cartons/C-1"),
        rule(.get, "/api/v1/events/stream", "events:read"),
        rule(.get, "/api/v1/where", "events:read"),
        rule(.get, "/api/v1/commands", "commands:write"),
        rule(.post, "/api/v1/commands/:type", "commands:write", "/api/v1/commands/DefineItem"),
        rule(.post, "/api/v1/waves/plan", "commands:write"),
        rule(.post, "/api/v1/imports/:kind", "imports:write", "/api/v1/imports/items"),
        // Operating the read models is admin's; named here so that the document lists them.
        rule(.get, "/api/v1/projections", admin),
        rule(.post, "/api/v1/projections/:name/rebuild", admin, "/api/v1/projections/orders/rebuild"),
        rule(.get, "/api/v1/dlq", "dlq:read"),
        rule(.get, "/api/v1/dlq/:name", "dlq:read", "/api/v1/dlq/endpoint"),
        rule(.get, "/api/v1/dlq/:owner/:name", "dlq:read", "/api/v1/dlq/endpoint/erp"),
        rule(.post, "/api/v1/dlq/:name/:id/replay", "dlq:replay", "/api/v1/dlq/erp/00000000-0000-0000-0000-000000000000/replay"),
        rule(.post, "/api/v1/dlq/:name/:id/discard", "dlq:discard", "/api/v1/dlq/erp/00000000-0000-0000-0000-000000000000/discard"),
        // The former paths (308 to the ones above), with the same scopes.
        rule(.get, "/api/dlq", "dlq:read"),
        rule(.get, "/api/dlq/:name", "dlq:read", "/api/dlq/endpoint"),
        rule(.get, "/api/dlq/:owner/:name", "dlq:read", "/api/dlq/endpoint/erp"),
        rule(.post, "/api/dlq/:name/:id/replay", "dlq:replay", "/api/dlq/erp/00000000-0000-0000-0000-000000000000/replay"),
        rule(.post, "/api/dlq/:name/:id/discard", "dlq:discard", "/api/dlq/erp/00000000-0000-0000-0000-000000000000/discard"),
    ]

    /// Every scope a rule names, and `admin`.
    public static var all: [String] { Array(Set(rules.map(\.scope) + [admin]).subtracting([authenticated])).sorted() }

    /// The scope `method` on `path` asks for (`admin` when no rule names the route).
    public static func required(method: HTTPRequest.Method, path: String) -> String {
        rule(method: method, path: path)?.scope ?? admin
    }

    /// The first rule naming `method` on `path`, if any.
    public static func rule(method: HTTPRequest.Method, path: String) -> Rule? {
        let segments = split(path)
        return rules.first { $0.method == method && matches(split($0.pattern), segments) }
    }

    private static func rule(_ method: HTTPRequest.Method, _ pattern: String, _ scope: String, _ example: String? = nil) -> Rule {
        Rule(method: method, pattern: pattern, scope: scope, example: example ?? pattern)
    }

    private static func split(_ path: String) -> [Substring] {
        path.prefix { $0 != "?" }.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        pattern.count == path.count && zip(pattern, path).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }
}
