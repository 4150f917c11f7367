/// Checks one segment's elements against its definition: presence, repetitions, components,
/// character set, length, type (numbers, dates, times), codes and syntax notes. Each problem
/// is one AK4/IK4 element error; an acknowledgment writes AK3 code 8 for a segment that has any.
struct X12SegmentRules {
    let definition: X12SegmentDefinition
    /// "940 004010", for the rule texts.
    let context: String

    func check(_ segment: X12Segment, at position: X12Position) -> [X12Error] {
        var errors: [X12Error] = []
        let defs = definition.elements
        func failAt(_ code: AK4ElementErrorCode, _ n: Int, _ rep: Int?, _ comp: Int?, _ rule: String) {
            errors.append(X12Error(.element(code), at: position.at(element: n, repetition: rep, component: comp), rule))
        }
        func fail(_ code: AK4ElementErrorCode, _ n: Int, _ rule: String) { failAt(code, n, nil, nil, rule) }
        let count = segment.elementCount
        if count > defs.count, let extra = (defs.count + 1...count).first(where: { !segment.rawElement($0).isEmpty }) {
            fail(.tooManyElements, extra, "\(title) has \(defs.count) elements in \(context); element \(extra) is present")
        }
        for (i, def) in defs.enumerated() {
            let n = i + 1
            // Rule texts are built only when a rule breaks (this runs for every element).
            var designator: String { self.designator(n) }
            let raw = segment.rawElement(n)
            guard !raw.isEmpty else {
                if def.requirement == .mandatory { fail(.mandatoryElementMissing, n, "\(title) \(designator) is mandatory in \(context)") }
                continue
            }
            // Most elements hold neither a repetition nor a component separator: check their
            // bytes in place instead of splitting them into arrays.
            if def.type != .composite, !Self.containsSeparator(raw, segment.delimiters, splits: segment.splitsElements) {
                if let (code, why) = Self.checkValue(raw, def) { fail(code, n, "\(title) \(designator) (\(def.number)) \(why) in \(context)") }
                continue
            }
            let reps = segment.repetitions(n)
            if reps.count > def.maxRepeat {
                fail(.tooManyRepetitions, n, "\(title) \(designator) may occur \(def.maxRepeat == 1 ? "once (it does not repeat)" : "at most \(def.maxRepeat) times") in \(context); found \(reps.count) repetitions")
            }
            for (r, rep) in reps.prefix(def.maxRepeat).enumerated() {
                let repetition = reps.count > 1 ? r + 1 : nil
                let comps = segment.components(n, repetition: r + 1)
                if def.type == .composite {
                    if comps.count > def.components.count {
                        failAt(.tooManyComponents, n, repetition, def.components.count + 1,
                             "\(title) \(designator) (\(def.number)) has \(def.components.count) components in \(context); found \(comps.count)")
                    }
                    if comps.allSatisfy(\.isEmpty) {
                        if def.requirement == .mandatory { failAt(.mandatoryElementMissing, n, repetition, nil, "\(title) \(designator) is mandatory in \(context)") }
                        continue
                    }
                    for (c, cdef) in def.components.enumerated() {
                        let text = c < comps.count ? comps[c] : []
                        var name: String { "\(designator)-\(c + 1 < 10 ? "0" : "")\(c + 1)" }
                        if text.isEmpty {
                            if cdef.requirement == .mandatory { failAt(.mandatoryElementMissing, n, repetition, c + 1, "\(title) \(name) (\(cdef.number)) is mandatory in \(context)") }
                            continue
                        }
                        if let (code, why) = Self.checkValue(text, cdef) { failAt(code, n, repetition, c + 1, "\(title) \(name) (\(cdef.number)) \(why) in \(context)") }
                    }
                } else {
                    if comps.count > 1 {
                        failAt(.tooManyComponents, n, repetition, 2, "\(title) \(designator) (\(def.number)) is a simple element in \(context); it has \(comps.count) components")
                        continue
                    }
                    if rep.isEmpty { continue }
                    if let (code, why) = Self.checkValue(rep, def) { failAt(code, n, repetition, nil, "\(title) \(designator) (\(def.number)) \(why) in \(context)") }
                }
            }
        }
        for note in definition.notes {
            let present = note.elements.map { !segment.rawElement($0).isEmpty }
            var names: String { note.elements.map(designator).joined(separator: ", ") }
            switch note.kind {
            case .paired where present.contains(true) && present.contains(false):
                let missing = note.elements[present.firstIndex(of: false)!]
                fail(.conditionalElementMissing, missing, "\(title) \(designator(missing)) is required when any of \(names) is present (syntax note \(note.text)) in \(context)")
            case .required where !present.contains(true):
                fail(.conditionalElementMissing, note.elements[0], "\(title) needs at least one of \(names) (syntax note \(note.text)) in \(context)")
            case .exclusion where present.filter({ $0 }).count > 1:
                let second = note.elements[present.indices.filter { present[$0] }[1]]
                fail(.exclusionViolated, second, "\(title) allows only one of \(names) (syntax note \(note.text)) in \(context)")
            case .conditional where present[0] && present.dropFirst().contains(false):
                let missing = note.elements[present.dropFirst().firstIndex(of: false)!]
                fail(.conditionalElementMissing, missing, "\(title) \(designator(missing)) is required when \(designator(note.elements[0])) is present (syntax note \(note.text)) in \(context)")
            case .listConditional where present[0] && !present.dropFirst().contains(true):
                fail(.conditionalElementMissing, note.elements[1], "\(title) needs one of \(note.elements.dropFirst().map(designator).joined(separator: ", ")) when \(designator(note.elements[0])) is present (syntax note \(note.text)) in \(context)")
            default: break
            }
        }
        return errors
    }

    /// Whether `raw` holds the repetition or component separator (never split in ISA).
    static func containsSeparator(_ raw: ArraySlice<UInt8>, _ d: X12Delimiters, splits: Bool) -> Bool {
        guard splits else { return false }
        let r = d.repetition ?? d.component
        return raw.contains { $0 == d.component || $0 == r }
    }

    private var title: String { "\(definition.id) (\(definition.name))" }

    private func designator(_ n: Int) -> String { "\(definition.id)\(n < 10 ? "0" : "")\(n)" }

    /// The first problem of one simple value, as a code and the words for it.
    static func checkValue(_ v: ArraySlice<UInt8>, _ def: X12ElementDefinition) -> (AK4ElementErrorCode, String)? {
        // X12's character sets are printable ASCII; bytes from 0x80 are let through as UTF-8
        // text (names and addresses of partners abroad), control characters never are.
        if let bad = v.first(where: { $0 < 0x20 || $0 == 0x7F }) {
            return (.invalidCharacter, "contains the control character \(hex(bad))")
        }
        var length = v.count
        switch def.type {
        case .numeric, .decimal:
            var digits = 0, points = 0, others = 0
            for (k, b) in v.enumerated() {
                if b &- 0x30 < 10 { digits += 1 } else if b == 0x2E, case .decimal = def.type { points += 1 } else if b == 0x2D, k == 0 {} else { others += 1 }
            }
            if others > 0 || points > 1 || digits == 0 {
                return (.invalidCharacter, "must be a\(def.type == .decimal ? " decimal" : "n integer") number; found \"\(String(decoding: v, as: UTF8.self))\"")
            }
            length = digits
        default: break
        }
        if length < def.minLength { return (.tooShort, "must be at least \(def.minLength) long; found \(length)") }
        if length > def.maxLength { return (.tooLong, "must be at most \(def.maxLength) long; found \(length)") }
        var text: String { String(decoding: v, as: UTF8.self) }
        switch def.type {
        case .identifier:
            if let codes = def.codes, case let code = text, !codes.contains(code) {
                return (.invalidCodeValue, "\"\(code)\" is not one of the codes \(codes.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }.joined(separator: ", "))")
            }
        case .date:
            if !isDate(v) { return (.invalidDate, "\"\(text)\" is not a valid date (\(v.count == 6 ? "YYMMDD" : "CCYYMMDD"))") }
        case .time:
            if !isTime(v) { return (.invalidTime, "\"\(text)\" is not a valid time (HHMM[SS[D[D]]])") }
        default: break
        }
        return nil
    }

    static func isDate(_ v: ArraySlice<UInt8>) -> Bool {
        guard v.count == 8 || v.count == 6, v.allSatisfy({ $0 &- 0x30 < 10 }) else { return false }
        let d = v.map { Int($0 - 0x30) }
        let year = v.count == 8 ? d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3] : 2000 + d[0] * 10 + d[1]
        let o = v.count - 4
        let month = d[o] * 10 + d[o + 1], day = d[o + 2] * 10 + d[o + 3]
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    static func isTime(_ v: ArraySlice<UInt8>) -> Bool {
        guard [4, 6, 7, 8].contains(v.count), v.allSatisfy({ $0 &- 0x30 < 10 }) else { return false }
        let d = v.map { Int($0 - 0x30) }
        guard d[0] * 10 + d[1] < 24, d[2] * 10 + d[3] < 60 else { return false }
        return v.count == 4 || d[4] * 10 + d[5] < 60
    }
}

extension X12SegmentDefinition {
    /// Checks one segment's elements against this definition (e.g. a TA1, which belongs to no
    /// transaction set: `X12Definitions.segment(.TA1)!.check(ta1, at: position, context: "the interchange")`).
    /// `context` ends the rule texts ("… is mandatory in <context>").
    public func check(_ segment: X12Segment, at position: X12Position, context: String) -> [X12Error] {
        X12SegmentRules(definition: self, context: context).check(segment, at: position)
    }
}
