/// The segment directory: every segment the transaction-set definitions use, as the X12
/// 004010 segment and data element dictionaries define it (element numbers, types, lengths,
/// requirements and syntax notes), with code lists only where a wrong code changes the
/// meaning of the whole set (purpose and status codes, HL levels, acknowledgment codes).
/// Table format: see ``X12DefinitionTables``.
///
/// The code lists, and where they come from:
/// - W0501 (473, order status): N original, C cancel, R replace: the values the WINS 940
///   guides of 3PLs accept. W0601/W1701 (514, reporting code): the 004010 dictionary's list
///   (A, B, C, F full detail, J original, K, N no exceptions, O, P, R, S, X exceptions only, Y).
/// - BEG01 and BSN01 (353, purpose): 00 original, 01 cancellation, 05 replace, 06
///   confirmation, 07 duplicate, plus 22 (information copy) for the 850 and 14 (advance
///   notification) for the 856, as the VICS 850/856 guides list them. BAK01 is left open
///   (partners acknowledge with many purposes). BEG02 (92): the order types of the VICS 850.
/// - HL03 (735): the VICS 856 levels S shipment, O order, T tare, P pack, I item; HL04 0/1.
/// - AK304 (720), AK403 (723), AK501/IK501 (717), AK901 (715): the 997 code lists (004010;
///   AK403 12 and 13 from 005010); IK304 (620) and IK403 (621) with the 999's I-codes
///   (005010X231A1); TA104 (I17) and TA105 (I18) from X12.5.
/// Everything else (qualifiers, units, entity codes) accepts any code of the right length:
/// the full X12 code lists are not ours to copy, and a partner's qualifier is the mapping's
/// business.
///
/// The subset: the segments that the VICS (GS1 US) 004010 guides for 850/855/856, the
/// warehouse (WINS) 940/943/944/945 guides as 3PLs publish them, the 846 and the 997/999
/// implementation guides (005010X230, 005010X231A1) use. Elements at the end of a segment
/// that those guides mark "not used" are still defined (so that their presence is not "too
/// many elements"), typed as the dictionary types them.
enum X12SegmentDirectory {
    static let composites = """
    C001 Composite Unit of Measure | 355 ID 2/2 M | 1018 R 1/15 O | 649 R 1/10 O
    C030 Position in Segment | 722 N0 1/2 M | 1528 N0 1/2 O
    C040 Reference Identifier | 128 ID 2/3 M | 127 AN 1/30 M | 128 ID 2/3 X | 127 AN 1/30 X | 128 ID 2/3 X | 127 AN 1/30 X
    """

    /// 005010 composites: C030 gains the repeating data element position; the 999's contexts.
    static let composites005010 = """
    C030 Position in Segment | 722 N0 1/2 M | 1528 N0 1/2 O | 1686 N0 1/4 O
    C040 Reference Identifier | 128 ID 2/3 M | 127 AN 1/50 M | 128 ID 2/3 X | 127 AN 1/50 X | 128 ID 2/3 X | 127 AN 1/50 X
    C998 Context Identification | 9999 AN 1/35 M | 9998 AN 1/35 O
    C999 Reference in Segment | 725 N0 1/4 M | 725 N0 1/4 O
    """

    static let v004010 = """
    # Envelope of the set
    ST Transaction Set Header | 143 ID 3/3 M | 329 AN 4/9 M
    SE Transaction Set Trailer | 96 N0 1/10 M | 329 AN 4/9 M
    # Interchange acknowledgment (X12.5): a segment of the interchange, not of a set
    TA1 Interchange Acknowledgment | I12 N0 9/9 M | I08 DT 6/6 M | I09 TM 4/4 M | I17 ID 1/1 M A E R | I18 ID 3/3 M 000 001 002 003 004 005 006 007 008 009 010 011 012 013 014 015 016 017 018 019 020 021 022 023 024 025 026 027 028 029 030 031

    # Shared by most sets
    N1 Name | 98 ID 2/3 M | 93 AN 1/60 X | 66 ID 1/2 X | 67 AN 2/80 X | 706 ID 2/2 O | 98 ID 2/3 O | ! R0203 P0304
    N2 Additional Name Information | 93 AN 1/60 M | 93 AN 1/60 O
    N3 Address Information | 166 AN 1/55 M | 166 AN 1/55 O
    N4 Geographic Location | 19 AN 2/30 O | 156 ID 2/2 O | 116 ID 3/15 O | 26 ID 2/3 O | 309 ID 1/2 X | 310 AN 1/30 O | ! C0605
    PER Administrative Communications Contact | 366 ID 2/2 M | 93 AN 1/60 O | 365 ID 2/2 X | 364 AN 1/80 X | 365 ID 2/2 X | 364 AN 1/80 X | 365 ID 2/2 X | 364 AN 1/80 X | 443 AN 1/20 O | ! P0304 P0506 P0708
    REF Reference Identification | 128 ID 2/3 M | 127 AN 1/30 X | 352 AN 1/80 X | C040 O | ! R0203
    N9 Reference Identification | 128 ID 2/3 M | 127 AN 1/30 X | 369 AN 1/45 X | 373 DT 8/8 O | 337 TM 4/8 X | 623 ID 2/2 O | C040 O | ! R0203 C0605
    MSG Message Text | 933 AN 1/264 M | 934 ID 2/2 X | 1470 N0 1/9 O | ! C0302
    DTM Date/Time Reference | 374 ID 3/3 M | 373 DT 8/8 X | 337 TM 4/8 X | 623 ID 2/2 O | 1250 ID 2/3 X | 1251 AN 1/35 X | ! R020305 C0403 P0506
    G62 Date/Time | 432 ID 2/2 X | 373 DT 8/8 X | 176 ID 1/2 X | 337 TM 4/8 X | 623 ID 2/2 O | ! R0103 P0102 P0304
    G61 Contact | 366 ID 2/2 M | 93 AN 1/60 M | 365 ID 2/2 X | 364 AN 1/80 X | 443 AN 1/20 O | ! P0304
    G69 Line Item Detail - Description | 369 AN 1/45 M
    NTE Note/Special Instruction | 363 ID 3/3 O | 352 AN 1/80 M
    LX Assigned Number | 554 N0 1/6 M
    FOB F.O.B. Related Instructions | 146 ID 2/2 M | 309 ID 1/2 X | 352 AN 1/80 O | 334 ID 2/2 O | 335 ID 3/3 X | 309 ID 1/2 X | 352 AN 1/80 O | 54 ID 2/2 O | 352 AN 1/80 O | ! C0302 C0405 C0706 C0809
    CUR Currency | 98 ID 2/3 M | 100 ID 3/3 M | 280 R 4/10 O | 98 ID 2/3 O | 100 ID 3/3 O | 669 ID 3/3 O
    ITD Terms of Sale/Deferred Terms of Sale | 336 ID 2/2 O | 333 ID 1/2 O | 338 R 1/6 O | 370 DT 8/8 X | 351 N0 1/3 X | 446 DT 8/8 O | 386 N0 1/3 O | 362 N2 1/10 O | 388 N2 1/10 O | 389 N2 1/10 O | 342 R 1/5 X | 352 AN 1/80 O | 765 N0 1/2 X | 107 ID 1/2 X | 954 R 1/10 O
    CSH Sales Requirements | 563 ID 1/2 O | 306 ID 1/2 X | 610 N2 1/15 X | 508 AN 1/35 O | 373 DT 8/8 O | 324 AN 1/22 O | 567 N0 1/2 O | 954 R 1/10 X | 1004 ID 2/2 O | ! P0203
    SAC Service, Promotion, Allowance, or Charge Information | 248 ID 1/1 M | 1300 ID 4/4 X | 559 ID 2/2 X | 1301 AN 1/10 X | 610 N2 1/15 O | 378 ID 1/1 X | 332 R 1/6 X | 118 R 1/9 X | 355 ID 2/2 X | 380 R 1/15 X | 380 R 1/15 O | 331 ID 2/2 O | 127 AN 1/30 O | 770 AN 1/20 O | 352 AN 1/80 X | 819 ID 2/3 O | ! R0203 P0304 P0607 C0706 C0809 C1110 C1413 C1615
    CTP Pricing Information | 687 ID 2/2 O | 236 ID 3/3 X | 212 R 1/17 X | 380 R 1/15 X | C001 X | 648 ID 3/3 X | 649 R 1/10 X | 782 R 1/18 O | 639 ID 2/2 O | 499 AN 1/10 O | 289 N0 1/2 O
    PID Product/Item Description | 349 ID 1/1 M F S X | 750 ID 2/3 O | 559 ID 2/2 X | 751 AN 1/12 X | 352 AN 1/80 X | 752 ID 2/2 O | 822 AN 1/15 O | 1073 ID 1/1 O | 819 ID 2/3 O | ! C0403 R0405
    MEA Measurements | 737 ID 2/2 O | 738 ID 1/3 O | 739 R 1/20 X | C001 X | 740 R 1/20 X | 741 R 1/20 X | 935 ID 2/2 O | 936 ID 1/2 X | 752 ID 2/2 O | 1373 ID 1/2 O | ! R03050608 L050406 L060406
    PKG Marking, Packaging, Loading | 349 ID 1/1 X | 753 ID 1/5 O | 559 ID 2/2 X | 754 AN 1/7 X | 352 AN 1/80 X | 400 AN 1/6 O | ! R0405 C0403
    TD1 Carrier Details (Quantity and Weight) | 103 AN 3/5 O | 80 N0 1/7 X | 23 ID 1/1 O | 22 AN 1/30 X | 79 AN 1/50 O | 187 ID 1/2 O | 81 R 1/10 X | 355 ID 2/2 X | 183 R 1/8 X | 355 ID 2/2 X | ! C0102 C0304 C0607 P0708 P0910
    TD5 Carrier Details (Routing Sequence/Transit Time) | 133 ID 1/2 O | 66 ID 1/2 X | 67 AN 2/80 X | 91 ID 1/2 X | 387 AN 1/35 X | 368 ID 2/2 X | 309 ID 1/2 O | 310 AN 1/30 X | 731 ID 2/2 X | 732 N0 1/4 X | 733 ID 2/2 O | 284 ID 1/2 O | 284 ID 1/2 X | 284 ID 1/2 O | 26 ID 2/3 O | ! P0203 C0708 C1011 C1312 C1413 C1512
    TD3 Carrier Details (Equipment) | 40 ID 2/2 X | 206 AN 1/4 O | 207 AN 1/10 X | 187 ID 1/2 O | 81 R 1/10 X | 355 ID 2/2 X | 102 ID 1/1 O | 407 ID 1/2 O | 225 AN 2/15 O | 24 ID 4/4 O | ! E0110 C0203 C0506
    TD4 Carrier Details (Special Handling, or Hazardous Materials, or Both) | 152 ID 2/3 X | 208 ID 1/1 X | 209 AN 1/4 X | 352 AN 1/80 X | 1073 ID 1/1 O | ! R010204 C0203
    MAN Marks and Numbers | 88 ID 1/2 M | 87 AN 1/48 M | 87 AN 1/48 O | 88 ID 1/2 X | 87 AN 1/48 X | 87 AN 1/48 O | ! P0405
    CTT Transaction Totals | 354 N0 1/6 M | 347 R 1/10 O | 81 R 1/10 X | 355 ID 2/2 X | 183 R 1/8 X | 355 ID 2/2 X | 352 AN 1/80 O | ! P0304 P0506
    AMT Monetary Amount | 522 ID 1/3 M | 782 R 1/18 M | 478 ID 1/1 O

    # 850 / 855 purchase orders (VICS 004010)
    BEG Beginning Segment for Purchase Order | 353 ID 2/2 M 00 01 05 06 07 22 | 92 ID 2/2 M BK CF CN DS KN NE OS RE RL RO SA SD SP ST ZZ | 324 AN 1/22 M | 328 AN 1/30 O | 373 DT 8/8 M | 367 AN 1/30 O | 587 ID 2/2 O | 1019 ID 3/3 O | 1166 ID 2/2 O | 1232 ID 2/2 O
    BAK Beginning Segment for Purchase Order Acknowledgment | 353 ID 2/2 M | 587 ID 2/2 M | 324 AN 1/22 M | 373 DT 8/8 M | 328 AN 1/30 O | 326 AN 1/45 O | 367 AN 1/30 O | 92 ID 2/2 O | 373 DT 8/8 O | 1019 ID 3/3 O
    PO1 Baseline Item Data | 350 AN 1/20 O | 330 R 1/15 X | 355 ID 2/2 O | 212 R 1/17 X | 639 ID 2/2 O | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | ! C0302 C0504 P0607 P0809 P1011 P1213 P1415 P1617 P1819 P2021 P2223 P2425
    PO3 Additional Item Detail | 371 ID 2/2 M | 373 DT 8/8 O | 236 ID 3/3 O | 212 R 1/17 X | 639 ID 2/2 X | 380 R 1/15 M | 355 ID 2/2 M | 352 AN 1/80 O | ! C0405
    PO4 Item Physical Details | 356 N0 1/6 O | 357 R 1/8 X | 355 ID 2/2 X | 103 AN 3/5 X | 187 ID 1/2 X | 384 R 1/9 X | 355 ID 2/2 X | 385 R 1/9 X | 355 ID 2/2 X | 82 R 1/8 X | 189 R 1/8 X | 65 R 1/8 X | 355 ID 2/2 X | 810 N0 1/6 O | 752 ID 2/2 O | 350 AN 1/20 O | 350 AN 1/20 O | 1470 N0 1/9 O | ! C0506 P0607 P0809 C1013 C1113 C1213 L13101112 C1716
    SDQ Destination Quantity | 355 ID 2/2 M | 66 ID 1/2 O | 67 AN 2/80 M | 380 R 1/15 M | 67 AN 2/80 X | 380 R 1/15 X | 67 AN 2/80 X | 380 R 1/15 X | 67 AN 2/80 X | 380 R 1/15 X | 67 AN 2/80 X | 380 R 1/15 X | 67 AN 2/80 X | 380 R 1/15 X | 67 AN 2/80 X | 380 R 1/15 X | 67 AN 2/80 X | 380 R 1/15 X | 67 AN 2/80 X | 380 R 1/15 X | 67 AN 2/80 X | 380 R 1/15 X | 310 AN 1/30 O | ! P0506 P0708 P0910 P1112 P1314 P1516 P1718 P1920 P2122
    ACK Line Item Acknowledgment | 668 ID 2/2 M | 380 R 1/15 X | 355 ID 2/2 X | 374 ID 3/3 X | 373 DT 8/8 O | 326 AN 1/45 O | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 559 ID 2/2 O | 822 AN 1/15 X | 1271 AN 1/30 X | ! P0203 C0405 P0708 P0910 P1112 P1314 P1516 P1718 P1920 P2122 P2324 P2526 P2728

    # 856 ship notice (VICS 004010)
    BSN Beginning Segment for Ship Notice | 353 ID 2/2 M 00 01 05 06 07 14 | 396 AN 2/30 M | 373 DT 8/8 M | 337 TM 4/8 M | 1005 ID 4/4 O | 640 ID 2/2 X | 641 ID 3/3 O | ! C0706
    HL Hierarchical Level | 628 AN 1/12 M | 734 AN 1/12 O | 735 ID 1/2 M S O T P I | 736 ID 1/1 O 0 1
    LIN Item Identification | 350 AN 1/20 O | 235 ID 2/2 M | 234 AN 1/48 M | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | ! P0405 P0607 P0809 P1011 P1213 P1415 P1617 P1819 P2021 P2223 P2425 P2627 P2829 P3031
    SN1 Item Detail (Shipment) | 350 AN 1/20 O | 382 R 1/10 M | 355 ID 2/2 M | 646 R 1/15 O | 330 R 1/15 X | 355 ID 2/2 X | 728 ID 2/2 O | 668 ID 2/2 O | ! P0506
    PRF Purchase Order Reference | 324 AN 1/22 M | 328 AN 1/30 O | 327 AN 1/8 O | 373 DT 8/8 O | 350 AN 1/20 O | 367 AN 1/30 O | 92 ID 2/2 O
    SCH Line Item Schedule | 380 R 1/15 M | 355 ID 2/2 M | 98 ID 2/3 X | 93 AN 1/60 X | 374 ID 3/3 M | 373 DT 8/8 M | 337 TM 4/8 O | 374 ID 3/3 X | 373 DT 8/8 X | 337 TM 4/8 O | 326 AN 1/45 O | 350 AN 1/20 O | ! C0304
    PAL Pallet Information | 883 ID 1/2 O | 884 N0 1/3 O | 356 N0 1/6 O | 395 R 1/4 O | 82 R 1/8 X | 189 R 1/8 X | 65 R 1/8 X | 355 ID 2/2 X | 187 ID 1/2 X | 384 R 1/9 X | 355 ID 2/2 X | 752 ID 2/2 O | ! P0708 C0809 P0910 C1011 C1112
    SLN Subline Item Detail | 350 AN 1/20 M | 350 AN 1/20 O | 662 ID 1/1 M | 380 R 1/15 X | 355 ID 2/2 X | 212 R 1/17 X | 639 ID 2/2 O | 662 ID 1/1 O | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | ! P0405 C0706 C0806 P0910 P1112 P1314

    # 940 / 943 / 944 / 945 warehouse sets (WINS 004010, as 3PL guides publish them)
    W05 Shipping Order Identification | 473 ID 1/2 M C N R | 396 AN 1/22 M | 324 AN 1/22 O | 127 AN 1/30 O | 127 AN 1/30 O | 640 ID 2/2 O | 207 AN 1/10 O
    W06 Warehouse Shipment Identification | 514 ID 1/1 M A B C F J K N O P R S X Y | 396 AN 1/22 O | 373 DT 8/8 O | 145 AN 1/30 O | 127 AN 1/30 O | 324 AN 1/22 O | 127 AN 1/30 O | 640 ID 2/2 O
    W17 Warehouse Receipt Identification | 514 ID 1/1 M A B C F J K N O P R S X Y | 373 DT 8/8 M | 127 AN 1/30 M | 396 AN 1/22 O | 324 AN 1/22 O | 145 AN 1/30 O | 640 ID 2/2 O
    W01 Line Item Detail - Warehouse | 330 R 1/15 M | 355 ID 2/2 M | 438 AN 12/12 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 59 ID 2/5 O | 187 ID 1/2 O | 23 ID 1/1 X | 22 AN 1/30 X | 461 AN 1/12 O | 752 ID 2/2 O | 350 AN 1/20 O | 235 ID 2/2 X | 234 AN 1/48 X | ! C0405 C0607 P1011 P1516
    W04 Item Detail Total | 382 R 1/10 M | 355 ID 2/2 M | 438 AN 12/12 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 461 AN 1/12 O | 235 ID 2/2 X | 234 AN 1/48 X | ! C0405 C0607 P0910
    W07 Item Detail For Stock Receipt | 382 R 1/10 M | 355 ID 2/2 M | 438 AN 12/12 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 461 AN 1/12 O | 235 ID 2/2 X | 234 AN 1/48 X | ! C0405 C0607 P0910
    W12 Warehouse Item Detail | 368 ID 2/2 M | 330 R 1/15 O | 382 R 1/10 O | 330 R 1/15 O | 355 ID 2/2 X | 438 AN 12/12 X | 235 ID 2/2 X | 234 AN 1/48 X | 461 AN 1/12 O | 81 R 1/10 X | 187 ID 1/2 X | 355 ID 2/2 X | 235 ID 2/2 X | 234 AN 1/48 X | 235 ID 2/2 X | 234 AN 1/48 X | 752 ID 2/2 O | ! P0708 C1011 C1110 P1314 P1516
    W03 Total Shipment Information | 382 R 1/10 M | 81 R 1/10 X | 355 ID 2/2 X | 183 R 1/8 X | 355 ID 2/2 X | 80 N0 1/7 O | 355 ID 2/2 X | ! P0203 P0405 P0607
    W14 Total Receipt Information | 382 R 1/10 M | 382 R 1/10 O | 382 R 1/10 O | 382 R 1/10 O | 382 R 1/10 O
    W76 Total Shipping Order | 347 R 1/10 M | 81 R 1/10 X | 355 ID 2/2 X | 183 R 1/8 X | 355 ID 2/2 X | ! P0203 P0405
    W09 Equipment and Temperature | 1023 ID 2/2 M | 408 R 1/4 X | 355 ID 2/2 X | 408 R 1/4 X | 355 ID 2/2 X | 3 AN 1/30 O | 1122 ID 2/3 O | ! P0203 P0405
    W66 Warehouse Carrier Information | 146 ID 2/2 M | 91 ID 1/2 M | 335 AN 1/3 O | 309 ID 1/2 X | 310 AN 1/30 X | 1047 ID 2/2 O | 1229 ID 2/2 O | 1228 AN 1/10 O | 367 AN 1/30 O | 140 ID 2/4 O | 324 AN 1/22 O
    W27 Carrier Detail | 91 ID 1/2 M | 140 ID 2/4 O | 387 AN 1/35 O | 146 ID 2/2 O | 40 ID 2/2 O | 206 AN 1/4 O | 207 AN 1/10 O | 368 ID 2/2 O | 1047 ID 2/2 O
    W10 Warehouse Unit Load Information | 1229 ID 1/2 M | 188 ID 1/1 O | 1228 AN 1/10 O | 396 AN 1/22 O

    # 846 inventory inquiry/advice (004010)
    BIA Beginning Segment for Inventory Inquiry/Advice | 353 ID 2/2 M | 755 ID 2/2 M | 127 AN 1/30 M | 373 DT 8/8 M | 337 TM 4/8 O | 640 ID 2/2 O
    QTY Quantity | 673 ID 2/2 M | 380 R 1/15 X | C001 O | 61 AN 1/30 X | ! R0204 E0204

    # 997 functional acknowledgment (004010)
    AK1 Functional Group Response Header | 479 ID 2/2 M | 28 N0 1/9 M
    AK2 Transaction Set Response Header | 143 ID 3/3 M | 329 AN 4/9 M
    AK3 Data Segment Note | 721 ID 2/3 M | 719 N0 1/6 M | 447 AN 1/6 O | 720 ID 1/3 O 1 2 3 4 5 6 7 8
    AK4 Data Element Note | C030 M | 725 N0 1/4 O | 723 ID 1/3 M 1 2 3 4 5 6 7 8 9 10 | 724 AN 1/99 O
    AK5 Transaction Set Response Trailer | 717 ID 1/1 M A E M R W X | 718 ID 1/3 O | 718 ID 1/3 O | 718 ID 1/3 O | 718 ID 1/3 O | 718 ID 1/3 O
    AK9 Functional Group Response Trailer | 715 ID 1/1 M A E M P R W X | 97 N0 1/6 M | 123 N0 1/6 M | 2 N0 1/6 M | 716 ID 1/3 O | 716 ID 1/3 O | 716 ID 1/3 O | 716 ID 1/3 O | 716 ID 1/3 O
    """

    /// What 005010 changes, whole segments replacing their 004010 lines (ST03 the
    /// implementation convention; longer reference numbers; the acknowledgment segments of
    /// 005010X230 and the 999's of 005010X231A1).
    static let v005010 = """
    ST Transaction Set Header | 143 ID 3/3 M | 329 AN 4/9 M | 1705 AN 1/35 O
    REF Reference Information | 128 ID 2/3 M | 127 AN 1/50 X | 352 AN 1/80 X | C040 O | ! R0203
    N9 Extended Reference Information | 128 ID 2/3 M | 127 AN 1/50 X | 369 AN 1/45 X | 373 DT 8/8 O | 337 TM 4/8 X | 623 ID 2/2 O | C040 O | ! R0203 C0605
    N4 Geographic Location | 19 AN 2/30 O | 156 ID 2/2 X | 116 ID 3/15 O | 26 ID 2/3 X | 309 ID 2/2 X | 310 AN 1/30 O | 1715 ID 1/3 X | ! E0207 C0605 C0704
    PER Administrative Communications Contact | 366 ID 2/2 M | 93 AN 1/60 O | 365 ID 2/2 X | 364 AN 1/256 X | 365 ID 2/2 X | 364 AN 1/256 X | 365 ID 2/2 X | 364 AN 1/256 X | 443 AN 1/20 O | ! P0304 P0506 P0708
    AK1 Functional Group Response Header | 479 ID 2/2 M | 28 N0 1/9 M | 480 AN 1/12 O
    AK2 Transaction Set Response Header | 143 ID 3/3 M | 329 AN 4/9 M | 1705 AN 1/35 O
    AK3 Data Segment Note | 721 ID 2/3 M | 719 N0 1/10 M | 447 AN 1/4 O | 720 ID 1/3 O 1 2 3 4 5 6 7 8
    AK4 Data Element Note | C030 M | 725 N0 1/4 O | 723 ID 1/3 M 1 2 3 4 5 6 7 8 9 10 12 13 | 724 AN 1/99 O
    IK3 Implementation Data Segment Note | 721 ID 2/3 M | 719 N0 1/10 M | 447 AN 1/4 O | 620 ID 1/3 M 1 2 3 4 5 6 7 8 I4 I6 I7 I8 I9
    IK4 Implementation Data Element Note | C030 M | 725 N0 1/4 O | 621 ID 1/3 M 1 2 3 4 5 6 7 8 9 10 12 13 I6 I9 I10 I11 I12 I13 | 724 AN 1/99 O
    IK5 Implementation Transaction Set Response Trailer | 717 ID 1/1 M A E M R W X | 618 ID 1/3 O | 618 ID 1/3 O | 618 ID 1/3 O | 618 ID 1/3 O | 618 ID 1/3 O
    CTX Context | C998 M *10 | 721 ID 2/3 O | 719 N0 1/10 O | 447 AN 1/4 O | C030 O | C999 O
    """
}
