/// An allocated order waiting for a wave, as the wave creator sees it.
public struct WaveCandidate: Sendable, Equatable {
    public var orderId: String
    public var serviceLevel: String
    /// Epoch milliseconds of the carrier cut-off, if any.
    public var cutoff: Int64?
    public var zone: String
    public var lines: Int
    public var units: Int
    public var priority: Int
    public var createdAt: Int64

    public init(orderId: String, serviceLevel: String, cutoff: Int64?, zone: String, lines: Int, units: Int, priority: Int, createdAt: Int64) {
        self.orderId = orderId
        self.serviceLevel = serviceLevel
        self.cutoff = cutoff
        self.zone = zone
        self.lines = lines
        self.units = units
        self.priority = priority
        self.createdAt = createdAt
    }
}

/// How big a wave may be.
public struct WaveLimits: Sendable, Equatable {
    public var maxOrders: Int
    public var maxLines: Int
    public var maxUnits: Int
    /// Orders whose cut-offs fall in the same window of this many milliseconds wave together.
    public var cutoffWindow: Int64

    public init(maxOrders: Int = 50, maxLines: Int = 500, maxUnits: Int = 2_000, cutoffWindow: Int64 = 3_600_000) {
        self.maxOrders = maxOrders
        self.maxLines = maxLines
        self.maxUnits = maxUnits
        self.cutoffWindow = cutoffWindow
    }
}

/// The wave creator: groups candidates by cut-off window, service level and zone, earliest
/// cut-off first, and fills waves within the limits (urgent and old orders first in a group).
public enum WavePlanner {
    public static func plan(_ candidates: [WaveCandidate], limits: WaveLimits) -> [[String]] {
        struct Key: Hashable { var window: Int64; var serviceLevel: String; var zone: String }
        var groups: [Key: [WaveCandidate]] = [:]
        for c in candidates {
            let window = c.cutoff.map { $0 / max(1, limits.cutoffWindow) } ?? .max
            groups[Key(window: window, serviceLevel: c.serviceLevel, zone: c.zone), default: []].append(c)
        }
        let keys = groups.keys.sorted { ($0.window, $0.serviceLevel, $0.zone) < ($1.window, $1.serviceLevel, $1.zone) }
        var waves: [[String]] = []
        for key in keys {
            let ordered = groups[key]!.sorted { a, b in
                if (a.cutoff ?? .max) != (b.cutoff ?? .max) { return (a.cutoff ?? .max) < (b.cutoff ?? .max) }
                if a.priority != b.priority { return a.priority > b.priority }
                return (a.createdAt, a.orderId) < (b.createdAt, b.orderId)
            }
            var wave: [String] = []
            var lines = 0, units = 0
            for c in ordered {
                if !wave.isEmpty && (wave.count + 1 > limits.maxOrders || lines + c.lines > limits.maxLines || units + c.units > limits.maxUnits) {
                    waves.append(wave)
                    wave = []
                    lines = 0
                    units = 0
                }
                wave.append(c.orderId)
                lines += c.lines
                units += c.units
            }
            if !wave.isEmpty { waves.append(wave) }
        }
        return waves
    }
}
