/// Who a request comes from, once authenticated, and what it may do.
public struct Principal: Sendable, Equatable {
    /// The key's name (or `api-token` for one of `http.apiTokens`), for the access log.
    public var name: String
    public var scopes: Set<String>

    public init(name: String, scopes: Set<String>) {
        self.name = name
        self.scopes = scopes
    }

    /// `admin` may do everything.
    public func may(_ scope: String) -> Bool { scopes.contains(APIScopes.admin) || scopes.contains(scope) }
}
