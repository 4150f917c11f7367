import EventStore
import Foundation
import X12
import X12Exchange

/// Where an `output: x12` route transform sends its interchanges: the partner whose control
/// number counter numbers them, and the envelope towards it.
public struct X12RouteOutput: Sendable, Equatable {
    /// The partner profile's name (the counter is `x12-outbound-<partner>`).
    public var partner: String
    public var envelope: X12OutboundEnvelope

    /// The media type of the interchanges (RFC 1767).
    public static let mediaType = "application/edi-x12"

    public init(partner: String, envelope: X12OutboundEnvelope) {
        self.partner = partner
        self.envelope = envelope
    }
}

/// An interchange a route produced whose ISA13 and GS06 are handed out only in the transaction
/// that stores its outbox message: numbers count as used exactly when the message that carries
/// them is committed (see `X12ControlNumberLedger`). Until then its bytes carry zeros.
public struct PendingX12Interchange: Sendable, Equatable {
    public var output: X12RouteOutput
    /// The one transaction set (ST02 "0001": the only set of its group).
    public var set: X12TransactionSet
    public var functionalIdentifier: String
    /// GS08, e.g. "004010".
    public var version: String
    /// The cause's time, so that handling the cause again writes the same stamp.
    public var time: Date

    public init(output: X12RouteOutput, set: X12TransactionSet, functionalIdentifier: String, version: String, time: Date) {
        self.output = output
        self.set = set
        self.functionalIdentifier = functionalIdentifier
        self.version = version
        self.time = time
    }

    /// The interchange, ISA to IEA, with `numbers` (zeros before they are assigned).
    public func bytes(_ numbers: X12OutboundNumbers?) -> [UInt8] {
        let stamp = X12Stamp(time)
        return output.envelope.write([set], functionalIdentifier: functionalIdentifier, version: version,
                                     interchangeControlNumber: numbers?.interchange ?? 0, groupControlNumber: numbers?.group(0) ?? 0,
                                     date: stamp.date, time: stamp.time)
    }
}

/// GS04/GS05 of a moment in UTC: CCYYMMDD and HHMM (ISA09 takes the date's last six digits).
struct X12Stamp {
    let date: String
    let time: String

    init(_ moment: Date) {
        let c = Self.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: moment)
        func two(_ n: Int?) -> String { let s = String(n ?? 0); return s.count < 2 ? "0" + s : s }
        date = String(c.year ?? 0) + two(c.month) + two(c.day)
        time = two(c.hour) + two(c.minute)
    }

    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}

extension RouteEffects {
    /// Gives every pending interchange its numbers from its partner's counter and returns the
    /// counter updates that must commit with these effects (one per partner).
    mutating func assignX12Numbers(_ ledger: X12ControlNumberLedger) async throws -> [CursorUpdate] {
        var byPartner: [String: [Int]] = [:]
        for (k, p) in pendingX12.enumerated() { byPartner[p.interchange.output.partner, default: []].append(k) }
        var updates: [CursorUpdate] = []
        for partner in byPartner.keys.sorted() {
            let indices = byPartner[partner]!
            let (numbers, update) = try await ledger.reserve(partner: partner, interchanges: indices.map { _ in 1 })
            for (k, n) in zip(indices, numbers) { number(k, with: n) }
            updates.append(update)
        }
        return updates
    }
}
