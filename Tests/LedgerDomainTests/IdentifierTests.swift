import LedgerDomain
import Testing

@Suite struct IdentifierTests {
  @Test(arguments: ["a", "A", "0", "-", "_", "abc-DEF_123", String(repeating: "x", count: 64)])
  func acceptsIDsOfTheAlphabetUpTo64Characters(raw: String) throws {
    #expect(try AccountID(raw).rawValue == raw)
    #expect(try TransferID(raw).rawValue == raw)
  }

  @Test(arguments: ["", String(repeating: "x", count: 65), "a b", "a.b", "a/b", "é", "tab\t", "ok✓", "a\u{0}"])
  func rejectsOtherIDsNamingTheField(raw: String) {
    #expect(throws: LedgerError.invalidArgument(field: "transfer_id", reason: "must be 1 to 64 characters from A-Z a-z 0-9 - _")) {
      try TransferID(raw)
    }
    #expect(throws: LedgerError.invalidArgument(field: "account_id", reason: "must be 1 to 64 characters from A-Z a-z 0-9 - _")) {
      try AccountID(raw)
    }
    #expect(throws: LedgerError.invalidArgument(field: "debit_account_id", reason: "must be 1 to 64 characters from A-Z a-z 0-9 - _")) {
      try AccountID(raw, field: "debit_account_id")
    }
  }

  @Test func theMessageNamesTheFieldAndTheRule() {
    do {
      _ = try TransferID("")
      Issue.record("an empty id was accepted")
    } catch {
      #expect(error.code == "INVALID_ARGUMENT")
      #expect(error.message == "transfer_id must be 1 to 64 characters from A-Z a-z 0-9 - _")
    }
  }

  @Test func idsOrderByBytes() throws {
    let raw = ["b", "A", "_z", "a", "0", "-dash", "Z9", "a-1", "a_1", "10", "9"]
    let sorted = try raw.map { try AccountID($0) }.sorted().map(\.rawValue)
    #expect(sorted == ["-dash", "0", "10", "9", "A", "Z9", "_z", "a", "a-1", "a_1", "b"])
    #expect(try TransferID("Z") < TransferID("a"))
  }

  @Test func describesAsTheRawValue() throws {
    #expect(try AccountID("acct-1").description == "acct-1")
    #expect("\(try TransferID("t_9"))" == "t_9")
  }
}
