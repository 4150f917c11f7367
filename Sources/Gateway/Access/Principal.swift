/// Who a request comes from, once authenticated, and what it may do.
public struct Principal: Sendable, Equatable {
    /// The credential: a key's id, or `api-token-<n>` for the n-th of `http.apiTokens` (rate
    /// limits are per credential).
    public var id: String
    /// The key's name (`api-token` for one of `http.apiTokens`), for the access log.
    public var name: String
    public var scopes: Set<String>

    public init(id: String, name: String, scopes: Set<String>) {
        self.id = id
        self.name = name
        self.scopes = scopes
    }

    /// `admin` may do everything; everyone may call the routes of `APIScopes.authenticated`.
    public func may(_ scope: String) -> Bool {
        scope == APIScopes.authenticated || scopes.contains(APIScopes.admin) || scopes.contains(scope)
    }
}
