import GRDB

/// The store's tables, created and upgraded by GRDB's migrator.
enum EventStoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // `position` aliases the rowid: the global log order. Rows are never deleted, so
            // SQLite hands out max(rowid)+1 and positions stay gap-free even across rolled-back
            // savepoints. `category` is stored (not derived in SQL) so that category reads use
            // an index. `id` is the UUID's 16 bytes.
            try db.execute(sql: """
                CREATE TABLE events (
                    position INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    stream TEXT NOT NULL,
                    category TEXT NOT NULL,
                    stream_version INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    data BLOB NOT NULL,
                    metadata TEXT NOT NULL, -- JSON object, see EventMetadataJSON
                    recorded_at REAL NOT NULL, -- seconds since 1970
                    UNIQUE (stream, stream_version)
                );
                CREATE INDEX events_by_category ON events (category, position);
                CREATE TABLE idempotency_keys (
                    key TEXT PRIMARY KEY NOT NULL,
                    result TEXT NOT NULL, -- JSON, see AppendResultJSON
                    recorded_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE checkpoints (
                    name TEXT PRIMARY KEY NOT NULL,
                    position INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE snapshots (
                    stream TEXT PRIMARY KEY NOT NULL,
                    version INTEGER NOT NULL,
                    state BLOB NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2") { db in
            // Named cursors (a poller's page token, a scheduler's last slot), written in the same
            // transaction as the events they account for. `value` is JSON text.
            try db.execute(sql: """
                CREATE TABLE cursors (
                    name TEXT PRIMARY KEY NOT NULL,
                    value BLOB NOT NULL, -- JSON text
                    updated_at REAL NOT NULL -- seconds since 1970
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
