import GRDB
import JSON
import Warehouse

/// One read model of the core (CQRS): the categories it follows, its tables, and how the state
/// folded for one key becomes rows. A key is a stream id; a model may follow several categories
/// whose streams share ids (a carton's `pack-<id>` and `tracking-<id>`).
///
/// A `ReadModelProjector` drives it: it applies each page of events in one transaction with the
/// model's checkpoint, so the rows are always those of a prefix of the log.
protocol ReadModel: Sendable {
    associatedtype State: Sendable
    /// The projection's name, as `paklog projections` shows it.
    static var name: String { get }
    /// Raised when the tables or the rows they hold change meaning: a file written by another
    /// version is thrown away and rebuilt from the log.
    static var version: Int { get }
    static var categories: Set<String> { get }
    /// The tables this model owns (emptied by a rebuild), in the order `schema` creates them.
    static var tables: [String] { get }
    /// `CREATE TABLE` and `CREATE INDEX` statements.
    static var schema: String { get }
    static func initial() -> State
    static func fold(_ state: inout State, _ event: DomainEvent, category: String) throws(JSONFieldError)
    /// Replaces the rows of `key` by those of `state`.
    static func write(_ db: Database, key: String, state: State) throws
}

/// A read model whose state is one of the core's aggregates, folded as the command side folds it.
protocol AggregateReadModel: ReadModel where State: AggregateState {}

extension AggregateReadModel {
    static var categories: Set<String> { [State.category] }
    static func initial() -> State { State() }
    static func fold(_ state: inout State, _ event: DomainEvent, category: String) throws(JSONFieldError) {
        try state.apply(event)
    }
}

/// One page of a read model's query: its rows and the `after` that reads the next page (nil on
/// the last page).
public struct ReadModelPage: Sendable, Equatable {
    public var rows: [JSONValue]
    public var next: String?

    /// `rows` came from a query limited to `limit` rows, each keyed by `key`.
    init(rows: [JSONValue], limit: Int, key: String) {
        self.rows = rows
        next = rows.count == limit ? rows.last?[key]?.stringValue : nil
    }

    /// The page as the API answers it: `{"<name>": [...], "next": ...}`.
    public func json(_ name: String) -> JSONValue {
        .object([name: .array(rows), "next": next.map { .string($0) } ?? .null])
    }
}

extension Database {
    /// The `document` column of `sql`'s rows, parsed.
    func documents(_ sql: String, _ arguments: StatementArguments) throws -> [JSONValue] {
        try String.fetchAll(self, sql: sql, arguments: arguments).compactMap { try? JSONValue(parsing: $0.utf8) }
    }
}
