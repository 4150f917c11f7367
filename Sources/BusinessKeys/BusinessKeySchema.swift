/// The index's tables (its own SQLite file beside the log, `<store>.keys`).
///
/// - `business_keys`: (value, kind) → the positions of the events that carry the key;
///   looked up by value (with or without kind), and by position when flows are joined.
/// - `business_key_positions`: the flow (correlation id) of each indexed position, and by flow
///   every position of one flow: one key then finds the whole exchange.
/// - `business_key_event_flows`: an event id's flow, for events that name their cause but carry
///   no correlation id (a delivery attempt names only its outbox message).
enum BusinessKeySchema {
    /// Raised when the rows change meaning: an index written by another version is rebuilt.
    static let version = 1

    static let tables = ["business_keys", "business_key_positions", "business_key_event_flows"]

    static let create = """
        CREATE TABLE IF NOT EXISTS business_key_checkpoint (
            name TEXT PRIMARY KEY NOT NULL,
            position INTEGER NOT NULL,
            version INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS business_keys (
            value TEXT NOT NULL,
            kind TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (value, kind, position)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS business_keys_by_position ON business_keys (position);
        CREATE TABLE IF NOT EXISTS business_key_positions (
            position INTEGER PRIMARY KEY,
            flow TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS business_key_positions_by_flow ON business_key_positions (flow, position);
        CREATE TABLE IF NOT EXISTS business_key_event_flows (
            event_id BLOB PRIMARY KEY NOT NULL,
            flow TEXT NOT NULL
        ) WITHOUT ROWID;
        """
}
