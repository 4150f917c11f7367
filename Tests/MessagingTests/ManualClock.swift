import Foundation
import Messaging
import Synchronization

/// A clock the test moves by hand.
final class ManualClock: MessagingClock {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    func advance(seconds: Double) { current.withLock { $0 += seconds } }
}
