import SFTP
import Testing

@Suite("Remote names are single, printable path components")
struct SFTPRemoteNameTests {
    @Test(arguments: [
        ("", SFTPRemoteName.Problem.empty),
        (".", .dotOrDotDot),
        ("..", .dotOrDotDot),
        ("../etc/passwd", .containsSlash),
        ("a/b", .containsSlash),
        ("a\0b", .containsNUL),
        ("a\nb", .containsControlCharacter),
        ("tab\there", .containsControlCharacter),
        ("bell\u{7}", .containsControlCharacter),
        ("del\u{7F}", .containsControlCharacter),
        (String(repeating: "x", count: 256), .tooLong(bytes: 256)),
    ])
    func refusesUnsafeNames(name: String, problem: SFTPRemoteName.Problem) {
        #expect(throws: problem) { try SFTPRemoteName(name) }
    }

    @Test func acceptsOrdinaryNamesUpToTheLimit() throws {
        for name in ["orders.edi", ".hidden", "...", "ä-ß 856 (1).x12", String(repeating: "x", count: 255)] {
            #expect(try SFTPRemoteName(name).value == name)
        }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: SFTPRemoteName.Problem.notUTF8) { try SFTPRemoteName(bytes: [0x61, 0xFF, 0x62]) }
    }

    @Test func aRejectedNameIsEscapedForLogs() {
        let rejected = SFTPRejectedName(bytes: Array("a\nb\\".utf8) + [0xFF], problem: .containsControlCharacter)
        #expect(rejected.escaped == "a\\x0ab\\x5c\\xff")
        #expect(!rejected.description.contains("\n"))
    }
}
