import Codecs
import JSON

/// What a job's cursor holds; the pure part of the scheduler (no clock, no store), times in
/// milliseconds since 1970 so that every computation is exact and repeatable.
///
/// Periodic, in `schedule-<job>`: `{"anchor":…,"every":…,"lastSlot":…,"firedAt":…}` (`lastSlot`
/// -1 before the first firing). Timer, in `timer-<name>`: `{"at":…,"firedAt":…}` (`firedAt` null
/// while armed).
enum ScheduleProgress: Equatable {
    case periodic(anchor: Int64, every: Int64, lastSlot: Int64, firedAt: Int64?)
    case timer(at: Int64, firedAt: Int64?)

    func encoded() -> [UInt8] {
        switch self {
        case let .periodic(anchor, every, lastSlot, firedAt):
            let value: JSONValue = ["anchor": .number(Double(anchor)), "every": .number(Double(every)),
                                    "lastSlot": .number(Double(lastSlot)), "firedAt": firedAt.map { .number(Double($0)) } ?? .null]
            return value.serialized()
        case let .timer(at, firedAt):
            let value: JSONValue = ["at": .number(Double(at)), "firedAt": firedAt.map { .number(Double($0)) } ?? .null]
            return value.serialized()
        }
    }

    /// The progress stored in `bytes`, or nil when they are not a cursor of this kind.
    init?(decoding bytes: [UInt8]) {
        guard let value = try? JSONValue(parsing: bytes) else { return nil }
        func integer(_ key: String) -> Int64? { value[key]?.doubleValue.flatMap { Int64(exactly: $0) } }
        let firedAt = integer("firedAt")
        if let at = integer("at") {
            self = .timer(at: at, firedAt: firedAt)
        } else if let anchor = integer("anchor"), let every = integer("every"), every > 0, let lastSlot = integer("lastSlot") {
            self = .periodic(anchor: anchor, every: every, lastSlot: lastSlot, firedAt: firedAt)
        } else {
            return nil
        }
    }
}

/// The slots of a periodic job (see `ScheduleDefinition.every`).
struct PeriodicSlots: Equatable {
    let job: String
    let anchor: Int64
    let every: Int64
    let jitter: Double
    /// The last slot committed (-1: none yet).
    let lastSlot: Int64

    /// The slots of `job` from its stored progress. When the configured period differs from the
    /// stored one, the last fired slot becomes slot 0 of the new period (or, before any firing,
    /// the anchor stays): a pure function of the cursor, so every restart agrees, and the slot
    /// already fired is never fired again under its new number.
    init(job: String, anchor: Int64, storedEvery: Int64, lastSlot: Int64, every: Int64, jitter: Double) {
        self.job = job
        self.every = every
        self.jitter = jitter
        if storedEvery == every || lastSlot < 0 {
            self.anchor = anchor
            self.lastSlot = lastSlot
        } else {
            let old = PeriodicSlots(job: job, anchor: anchor, storedEvery: storedEvery, lastSlot: lastSlot, every: storedEvery, jitter: jitter)
            self.anchor = old.time(of: lastSlot)
            self.lastSlot = 0
        }
    }

    /// The fraction `[0, 1)` of the jitter window that slot `slot` of `job` is moved by: the
    /// first 53 bits of SHA-256 over `job/slot`, so it is the same on every machine and restart.
    static func jitterFraction(job: String, slot: Int64) -> Double {
        let digest = Digest.hash(Array("\(job)/\(slot)".utf8), .sha256)
        let bits = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(bits >> 11) / Double(UInt64(1) << 53)
    }

    /// When slot `slot` is due.
    func time(of slot: Int64) -> Int64 {
        let offset = jitter == 0 ? 0 : Int64((Self.jitterFraction(job: job, slot: slot) * jitter * Double(every)).rounded(.down))
        return anchor + slot * every + offset
    }

    /// The latest slot due at `now`, or nil before slot 0 is.
    func latestDue(at now: Int64) -> Int64? {
        guard now >= anchor else { return nil }
        var slot = (now - anchor) / every
        // The jitter is less than one period, so at most one step back.
        while slot >= 0, time(of: slot) > now { slot -= 1 }
        return slot >= 0 ? slot : nil
    }

    /// The slot to fire at `now`: the latest due one, if it is later than the last fired. Slots
    /// missed while the daemon was down are coalesced into this one firing.
    func slotToFire(at now: Int64) -> Int64? {
        guard let slot = latestDue(at: now), slot > lastSlot else { return nil }
        return slot
    }

    /// When the next firing is due: the slot to fire now, or else the one after the last fired.
    func nextTime(at now: Int64) -> Int64 {
        if let due = slotToFire(at: now) { return time(of: due) }
        return time(of: lastSlot + 1)
    }
}
