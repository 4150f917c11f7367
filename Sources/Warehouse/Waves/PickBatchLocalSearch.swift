/// The improvement step after savings: single-order moves (each order to the batch where it saves
/// most) and pairwise swaps between batches (the first that saves), while they shorten the total
/// optimal travel.
extension PickOrderBatcher {
    /// Moves orders to the batch where they shorten the total most; true if anything moved.
    mutating func relocate(_ drafts: inout [PickBatchDraft]) -> Bool {
        var moved = false
        for a in drafts.indices {
            var slot = 0
            while slot < drafts[a].members.count {
                let order = drafts[a].members[slot]
                var rest = drafts[a].members
                rest.remove(at: slot)
                let remaining = draft(rest)
                var bestGain = minimumGain, bestTarget = -1
                for b in drafts.indices where b != a && !drafts[b].members.isEmpty {
                    let target = drafts[b]
                    let grown = target.occupancy.union(orders[order])
                    guard fits(orderCount: target.members.count + 1, units: target.units + units[order], occupancy: grown) else { continue }
                    let gain = drafts[a].length + target.length - remaining.length - length(of: grown)
                    if gain > bestGain { bestGain = gain; bestTarget = b }
                }
                if bestTarget >= 0 {
                    drafts[a] = remaining
                    drafts[bestTarget] = draft(drafts[bestTarget].members + [order])
                    moved = true
                } else {
                    slot += 1
                }
            }
        }
        return moved
    }

    /// Swaps pairs of orders between batches while that shortens the total; true if anything changed.
    mutating func swap(_ drafts: inout [PickBatchDraft]) -> Bool {
        var swapped = false
        for a in drafts.indices {
            for b in drafts.indices where b > a {
                while let better = firstImprovingSwap(drafts[a], drafts[b]) {
                    drafts[a] = better.0
                    drafts[b] = better.1
                    swapped = true
                }
            }
        }
        return swapped
    }

    /// The first swap between two batches that shortens their total, as the two new batches.
    private mutating func firstImprovingSwap(_ first: PickBatchDraft, _ second: PickBatchDraft) -> (PickBatchDraft, PickBatchDraft)? {
        let before = first.length + second.length
        for i in first.members.indices {
            for j in second.members.indices {
                let out = first.members[i], into = second.members[j]
                let firstUnits = first.units - units[out] + units[into]
                let secondUnits = second.units - units[into] + units[out]
                guard firstUnits <= limits.maxUnits, secondUnits <= limits.maxUnits else { continue }
                var firstMembers = first.members, secondMembers = second.members
                firstMembers[i] = into
                secondMembers[j] = out
                let newFirst = draft(firstMembers), newSecond = draft(secondMembers)
                guard fits(orderCount: firstMembers.count, units: firstUnits, occupancy: newFirst.occupancy),
                      fits(orderCount: secondMembers.count, units: secondUnits, occupancy: newSecond.occupancy) else { continue }
                if before - newFirst.length - newSecond.length > minimumGain { return (newFirst, newSecond) }
            }
        }
        return nil
    }
}
