import EventStore
import Foundation
import Logging
import Messaging

/// The daily job `prune-idempotency-keys`: deletes idempotency keys older than
/// `storage.idempotencyRetention`, so the key table does not grow forever. A redelivery later
/// than the retention is then accepted as a new message (README, "Configuration").
///
/// Its effect is a delete outside the slot's transaction: pruning twice for one slot (after a
/// crash between the delete and the slot's commit) deletes nothing more, so that is harmless.
enum IdempotencyKeyPruning {
    static let jobName = "prune-idempotency-keys"

    static func job(store: SQLiteEventStore, retention: Duration, logger: Logger) -> ScheduledJob {
        let retentionSeconds = Double(retention.components.seconds) + Double(retention.components.attoseconds) / 1e18
        return ScheduledJob(name: jobName, schedule: .every(.seconds(86_400))) { firing in
            let removed = try await store.pruneIdempotencyKeys(recordedBefore: firing.firedAt - retentionSeconds)
            logger.info("idempotency keys pruned", metadata: ["removed": "\(removed)", "retentionSeconds": "\(Int(retentionSeconds))"])
            return nil
        }
    }
}
