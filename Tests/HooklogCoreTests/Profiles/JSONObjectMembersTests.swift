import HooklogCore
import Testing

@Suite("JSONObjectMembers reads the top-level members of an object in one validating scan")
struct JSONObjectMembersTests {
    static func members(_ text: String) throws -> JSONObjectMembers {
        try JSONObjectMembers(Array(text.utf8))
    }

    @Test func testValuesAreTheirBytesVerbatimAndKindsFollowTheFirstByte() throws {
        let text = #" { "type" : "call.completed" ,"data":{ "a" : [1, 2.50e+1 ,{"b":null}] },"n":-0.5,"ok":false,"t":true,"none":null,"list":[ ] } "#
        let members = try Self.members(text)
        #expect(members.value(of: "data") == Array(#"{ "a" : [1, 2.50e+1 ,{"b":null}] }"#.utf8))
        #expect(members.value(of: "list") == Array("[ ]".utf8))
        #expect(members.kind(of: "type") == .string)
        #expect(members.kind(of: "data") == .object)
        #expect(members.kind(of: "list") == .array)
        #expect(members.kind(of: "n") == .number)
        #expect(members.kind(of: "ok") == .bool)
        #expect(members.kind(of: "t") == .bool)
        #expect(members.kind(of: "none") == .null)
        #expect(members.kind(of: "missing") == nil)
        #expect(members.value(of: "missing") == nil)
        // Only top-level members are members.
        #expect(members.kind(of: "a") == nil)
        #expect(members.bytes == Array(text.utf8))
    }

    @Test func testStringsAreDecodedExactly() throws {
        let members = try Self.members(
            #"{"plain":"call_x1","escaped":"a\"b\\c\/d\n\t\b\f\r","unicode":"caf\u00e9 \ud83d\ude00","raw":"ÖGK 😀","empty":"","number":5}"#
        )
        #expect(try members.string("plain") == "call_x1")
        #expect(try members.string("escaped") == "a\"b\\c/d\n\t\u{8}\u{C}\r")
        #expect(try members.string("unicode") == "café 😀")
        #expect(try members.string("raw") == "ÖGK 😀")
        #expect(try members.string("empty") == "")
        #expect(try members.string("number") == nil)
        #expect(try members.string("missing") == nil)
    }

    @Test func testKeysAreMatchedAfterUnescaping() throws {
        let members = try Self.members(#"{"typ\u0065":"call.completed"}"#)
        #expect(try members.string("type") == "call.completed")
    }

    @Test func testARepeatedKeyMeansItsLastMemberAsDeliveriesReadIt() throws {
        let text = #"{"data":{"first":1},"type":"a","data":{"last":2},"type":"b"}"#
        let members = try Self.members(text)
        #expect(members.value(of: "data") == Array(#"{"last":2}"#.utf8))
        #expect(try members.string("type") == "b")
        #expect(EventBodyMembers(rawBody: Array(text.utf8))?.data == members.value(of: "data"))
    }

    @Test(arguments: [
        #"{"id":"\ud800"}"#,  // a lone high surrogate
        #"{"id":"\udc00"}"#,  // a lone low surrogate
        #"{"id":"\ud83dx"}"#,  // a high surrogate followed by no escape
        #"{"id":"\ud83d\u0041"}"#,  // a high surrogate followed by no low one
    ])
    func testAStringNamingNoExactTextIsMalformedWhenReadAsText(text: String) throws {
        // The object scans (keys are read leniently, and deliveries splice such values verbatim) …
        let members = try Self.members(text)
        // … but a value kept as text is never repaired into another one.
        #expect(Self.isMalformed { try members.string("id") })
    }

    @Test func testStringBytesThatAreNotUTF8AreMalformedWhenReadAsText() throws {
        for invalid: [UInt8] in [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80]] {
            let members = try JSONObjectMembers(Array(#"{"id":"a"#.utf8) + invalid + Array(#"","ok":"é"}"#.utf8))
            #expect(Self.isMalformed { try members.string("id") })
            #expect(try members.string("ok") == "é")
        }
    }

    @Test(arguments: [
        "", " ", "{", "}", #"{"a"}"#, #"{"a":}"#, #"{,}"#, #"{1:2}"#, #"{"a":1,}"#, #"{"a":[1,]}"#, #"{"a":1 "b":2}"#,
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":1e}"#, #"{"a":.5}"#, #"{"a":+1}"#, #"{"a":-}"#, #"{"a":tru}"#, #"{"a":nul}"#,
        #"{"a":"\q"}"#, #"{"a":"\u12"}"#, #"{"a":"\u12G4"}"#, "{\"a\":\"\t\"}", "{\"a\":\"\u{0}\"}", #"{"a":"open}"#,
        #"{"a":1}}"#, #"{"a":1} x"#, "\u{FEFF}{}",
    ])
    func testBytesThatAreNotOneJSONValueAreMalformed(text: String) {
        #expect(Self.isMalformed { try Self.members(text) })
    }

    @Test func testNestingPastTheScannersLimitIsMalformed() throws {
        let deep = #"{"data":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
        #expect(throws: JSONObjectMembers.Failure.malformed(reason: "nested more than 256 levels deep", offset: 263)) { try Self.members(deep) }
        let fine = #"{"data":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        #expect(try Self.members(fine).kind(of: "data") == .array)
    }

    /// Whether `body` throws `malformed`, for whatever reason.
    static func isMalformed(_ body: () throws -> Any?) -> Bool {
        do {
            _ = try body()
            return false
        } catch JSONObjectMembers.Failure.malformed {
            return true
        } catch {
            return false
        }
    }

    @Test(arguments: ["[]", "null", "5", #""x""#, "true", " [ {} ] "])
    func testOneJSONValueThatIsNotAnObjectIsNotAnObject(text: String) {
        #expect(throws: JSONObjectMembers.Failure.notAnObject) { try Self.members(text) }
    }

    @Test func testEventBodyMembersSplicesDataAndMetadataVerbatim() throws {
        let body = Array(#"{"type":"call.completed","data": {"x" : "caf\u00e9"} ,"metadata":{"k":[1]}}"#.utf8)
        let members = try #require(EventBodyMembers(rawBody: body))
        #expect(members.data == Array(#"{"x" : "caf\u00e9"}"#.utf8))
        #expect(members.metadata == Array(#"{"k":[1]}"#.utf8))

        let bare = try #require(EventBodyMembers(rawBody: Array(#"{"type":"call.completed","metadata":null}"#.utf8)))
        #expect(bare.data == Array("{}".utf8))
        #expect(bare.metadata == nil)
        #expect(EventBodyMembers(rawBody: Array(#"{"data":{"x":01}}"#.utf8)) == nil)
    }
}
