@testable import X12

/// Transaction sets of our own for the definition tests, each wrapped in ISA/GS/ST … SE/GE/IEA
/// with correct counts, so that the envelope is clean and only the definitions judge them.
enum DefinitionSamples {
    /// Parses `body` (the segments between ST and SE, written with `*`) as set `id` in a
    /// group with `gs01` and GS08 `gs08`; returns the set.
    static func set(_ id: String, gs01: String, gs08: String = "004010", _ body: [String],
                    sample: SampleInterchange = SampleInterchange()) -> X12TransactionSet {
        let segments = ["GS*\(gs01)*SENDER*RECEIVER*20240101*1200*7*X*\(gs08)", "ST*\(id)*0001"] + body
            + ["SE*\(body.count + 2)*0001", "GE*1*7", "IEA*1*000000101"]
        let doc = X12Document(parsing: sample.bytes(segments))
        precondition(doc.errors.isEmpty, "sample \(id) has envelope errors: \(doc.errors)")
        return doc.interchanges[0].groups[0].transactionSets[0]
    }

    /// A 940 as the VICS/WINS 004010 940 guides (and the 3PL guides built on them) lay it out:
    /// W05, ship-from/ship-to N1 loops, N9 references, G62 dates, W66 carrier, two LX items,
    /// W76 totals.
    static let body940 = [
        "W05*N*ORD-1*PO-1",
        "N1*SF*ACME FOODS*9*0012345678901",
        "N3*1 FACTORY RD",
        "N4*SPRINGFIELD*IL*62701*US",
        "N1*ST*CORNER STORE*92*STORE-7",
        "N2*RECEIVING DOCK B",
        "N3*200 MAIN ST*SUITE 4",
        "N4*DENVER*CO*80202*US",
        "N9*PO*PO-1",
        "N9*DP*042",
        "G62*10*20240105",
        "G62*02*20240108*Y*1730",
        "NTE*WHI*CALL BEFORE DELIVERY",
        "W66*PP*M********UPSN",
        "LX*1",
        "W01*12*CA*012345678905*VN*SKU-1",
        "G69*CHOCOLATE BARS 24CT",
        "N9*LI*0001",
        "LX*2",
        "W01*3.5*EA**VN*SKU-2*UK*00012345678912",
        "W76*15.5*120.25*LB",
    ]

    /// A 945 as the WINS 004010 945 guides lay it out: W06, N1 loops, N9 bill of lading,
    /// G62 ship date, W27 carrier, LX with the pallet's SSCC in MAN and W12 items, W03 totals.
    static let body945 = [
        "W06*F*ORD-1*20240106*SHIP-9**PO-1",
        "N1*SF*PAKLOG DC 1*9*0012345678901",
        "N1*ST*CORNER STORE*92*STORE-7",
        "N4*DENVER*CO*80202*US",
        "N9*BM*BOL-12345",
        "G62*11*20240106",
        "W27*M*UPSN*UPS GROUND*PP",
        "LX*1",
        "MAN*GM*00006141411234567890",
        "W12*CC*12*12*0*CA**VN*SKU-1*LOT-7",
        "G69*CHOCOLATE BARS 24CT",
        "W12*CP*4*3*1*EA**VN*SKU-2",
        "W03*15*130.5*LB",
    ]

    /// An 856 as the VICS 004010 856 (pick and pack structure S/O/P/I) lays it out: shipment
    /// with carrier and addresses, order, one pack with its SSCC-18 in MAN02 (application
    /// identifier 00 and a correct check digit), two items.
    static let body856 = [
        "BSN*00*SHIP-9*20240106*1405*0001",
        "HL*1**S",
        "TD1*CTN25*1****G*130.5*LB",
        "TD5**2*UPSN**UPS GROUND",
        "REF*BM*BOL-12345",
        "DTM*011*20240106",
        "N1*ST*CORNER STORE*92*STORE-7",
        "N3*200 MAIN ST",
        "N4*DENVER*CO*80202*US",
        "N1*SF*PAKLOG DC 1*9*0012345678901",
        "HL*2*1*O",
        "PRF*PO-1***20240102",
        "HL*3*2*P",
        "MAN*GM*00006141411234567890",
        "HL*4*3*I",
        "LIN*1*UP*012345678905*VN*SKU-1",
        "SN1**12*CA",
        "PID*F****CHOCOLATE BARS 24CT",
        "HL*5*3*I",
        "LIN*2*UP*012345678912*VN*SKU-2",
        "SN1**3*EA",
        "CTT*5",
    ]

    /// An 850 as the VICS 004010 850 lays it out: BEG, references, terms, dates, carrier,
    /// ship-to N1 loop, two PO1 lines each with a PID loop, CTT loop.
    static let body850 = [
        "BEG*00*SA*PO-1**20240102",
        "REF*DP*042",
        "ITD*01*3*2**30**60",
        "DTM*002*20240110",
        "TD5*O*2*UPSN*M*UPS GROUND",
        "N1*ST*CORNER STORE*92*STORE-7",
        "N3*200 MAIN ST",
        "N4*DENVER*CO*80202*US",
        "PO1*1*12*CA*24.5**UP*012345678905*VN*SKU-1",
        "PID*F****CHOCOLATE BARS 24CT",
        "PO4*24*1*EA",
        "PO1*2*4*EA*3.25**UP*012345678912*VN*SKU-2",
        "PID*F****PEANUTS",
        "CTT*2*16",
        "AMT*TT*307",
    ]

    /// An 846 as 3PL inventory-advice guides use it (004010): BIA, the warehouse N1 loop, one
    /// LIN per SKU with its on-hand and committed QTY.
    static let body846 = [
        "BIA*00*MM*INV-20240106*20240106*2300",
        "N1*WH*PAKLOG DC 1*9*0012345678901",
        "LIN**VN*SKU-1*UP*012345678905",
        "PID*F****CHOCOLATE BARS 24CT",
        "QTY*33*120*EA",
        "QTY*02*12*EA",
        "LIN**VN*SKU-2",
        "QTY*33*40*EA",
        "CTT*2",
    ]

    /// A 997 as the X12 004010 997 lays it out: the 940 above accepted, a second one rejected
    /// with one segment and one element note.
    static let body997 = [
        "AK1*OW*7",
        "AK2*940*0001",
        "AK5*A",
        "AK2*940*0002",
        "AK3*W05*2**8",
        "AK4*2*396*1",
        "AK5*R*5",
        "AK9*P*2*2*1",
    ]

    /// A 999 as the 005010X231A1 guide lays it out: one set accepted, one rejected with an IK3
    /// loop, its context and an IK4.
    static let body999 = [
        "AK1*OW*7*005010",
        "AK2*940*0001",
        "IK5*A",
        "AK2*940*0002",
        "IK3*W05*2**8",
        "CTX*SITUATIONAL TRIGGER*W05*2",
        "IK4*2*396*1",
        "IK5*R*5",
        "AK9*P*2*2*1",
    ]

    /// 855 (VICS 004010): BAK, ship-to, one line acknowledged as shipping.
    static let body855 = [
        "BAK*00*AC*PO-1*20240103",
        "N1*ST*CORNER STORE*92*STORE-7",
        "PO1*1*12*CA*24.5**UP*012345678905",
        "ACK*IA*12*CA*068*20240106",
        "CTT*1",
    ]

    /// 943 (WINS 004010): a depositor's transfer shipment to the warehouse, one item.
    static let body943 = [
        "W06*F*XFER-1*20240104*SHIP-3",
        "N1*SF*ACME FOODS*9*0012345678901",
        "N1*WH*PAKLOG DC 1*9*0012345678902",
        "W27*M*ABCD",
        "W04*100*CA*012345678905*VN*SKU-1",
        "W03*100*900*LB",
    ]

    /// 944 (WINS 004010): the warehouse's receipt of that transfer, one LX with one W07.
    static let body944 = [
        "W17*F*20240105*RCPT-1*XFER-1",
        "N1*WH*PAKLOG DC 1*9*0012345678902",
        "LX*1",
        "W07*98*CA*012345678905*VN*SKU-1*LT*LOT-7",
        "N9*LI*0001",
        "W14*98",
    ]
}
