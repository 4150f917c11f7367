import Synchronization

/// Analysed picture strings by their text. A mapping typically formats every line item with
/// the same few pictures (`$fromMillis(t, "[Y0001]-[M01]-[D01]")`, `$formatNumber(p, "#,##0.00")`),
/// so analysis happens once per picture instead of once per call. Bounded: emptied when full.
final class PictureCache<Picture: Sendable>: Sendable {
    private let entries = Mutex<[String: Picture]>([:])
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The cached analysis of `text`, made with `make` on first use. Failed analyses are not
    /// kept: they throw again on the next call.
    func picture(_ text: String, _ make: (String) throws -> Picture) rethrows -> Picture {
        if let cached = entries.withLock({ $0[text] }) { return cached }
        let made = try make(text)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[text] = made
        }
        return made
    }
}
