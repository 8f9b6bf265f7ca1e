import LedgerDomain
import Testing

@Suite struct TransferRequestTests {
  let valid = TransferRequest(
    transferID: "t-1", debitAccountID: "alice", creditAccountID: "bob", amount: 250, currency: "USD",
    reference: "rent")

  @Test func validatesIntoACommand() throws {
    let command = try valid.validated()
    #expect(command.id.rawValue == "t-1")
    #expect(command.debitAccountID.rawValue == "alice")
    #expect(command.creditAccountID.rawValue == "bob")
    #expect(command.amount.minorUnits == 250)
    #expect(command.currency == .usd)
    #expect(command.reference == "rent")
  }

  @Test func eachBadFieldIsNamed() {
    let idRule = "must be 1 to 64 characters from A-Z a-z 0-9 - _"
    var request = valid
    request.transferID = ""
    #expect(throws: LedgerError.invalidArgument(field: "transfer_id", reason: idRule)) { try request.validated() }
    request = valid
    request.debitAccountID = "no spaces"
    #expect(throws: LedgerError.invalidArgument(field: "debit_account_id", reason: idRule)) { try request.validated() }
    request = valid
    request.creditAccountID = ""
    #expect(throws: LedgerError.invalidArgument(field: "credit_account_id", reason: idRule)) { try request.validated() }
    request = valid
    request.amount = 0
    #expect(throws: LedgerError.invalidArgument(field: "amount", reason: "must be positive, got 0")) {
      try request.validated()
    }
    request = valid
    request.currency = "usd"
    #expect(throws: LedgerError.unknownCurrency("usd")) { try request.validated() }
    request = valid
    request.reference = String(repeating: "r", count: 257)
    #expect(throws: LedgerError.invalidArgument(field: "reference", reason: "must be at most 256 characters, got 257")) {
      try request.validated()
    }
  }

  @Test func theFirstBadFieldInWireOrderWins() {
    let request = TransferRequest(transferID: "", debitAccountID: "", creditAccountID: "", amount: 0, currency: "")
    #expect(throws: LedgerError.invalidArgument(field: "transfer_id", reason: "must be 1 to 64 characters from A-Z a-z 0-9 - _")) {
      try request.validated()
    }
  }

  @Test func debitAndCreditMustDiffer() throws {
    var request = valid
    request.creditAccountID = "alice"
    #expect(throws: LedgerError.sameAccount(try AccountID("alice"))) { try request.validated() }
  }
}

@Suite struct TransferCommandTests {
  let command: TransferCommand

  init() throws {
    command = try TransferRequest(
      transferID: "t-1", debitAccountID: "alice", creditAccountID: "bob", amount: 250, currency: "USD",
      reference: "rent"
    ).validated()
  }

  @Test func buildsItsTransfer() throws {
    let at = Timestamp(nanosecondsSinceEpoch: 42)
    let transfer = command.transfer(sequence: 7, createdAt: at)
    #expect(transfer.id == command.id)
    #expect(transfer.sequence == 7)
    #expect(transfer.createdAt == at)
    #expect(command.matches(transfer))
    #expect(transfer.touches(command.debitAccountID) && transfer.touches(command.creditAccountID))
    #expect(!transfer.touches(try AccountID("carol")))
  }

  @Test func matchesOnlyTheSameFields() throws {
    let stored = command.transfer(sequence: 1, createdAt: Timestamp(nanosecondsSinceEpoch: 1))
    let variants: [TransferRequest] = [
      .init(transferID: "t-1", debitAccountID: "carol", creditAccountID: "bob", amount: 250, currency: "USD", reference: "rent"),
      .init(transferID: "t-1", debitAccountID: "alice", creditAccountID: "carol", amount: 250, currency: "USD", reference: "rent"),
      .init(transferID: "t-1", debitAccountID: "alice", creditAccountID: "bob", amount: 251, currency: "USD", reference: "rent"),
      .init(transferID: "t-1", debitAccountID: "alice", creditAccountID: "bob", amount: 250, currency: "EUR", reference: "rent"),
      .init(transferID: "t-1", debitAccountID: "alice", creditAccountID: "bob", amount: 250, currency: "USD", reference: "food"),
      .init(transferID: "t-2", debitAccountID: "alice", creditAccountID: "bob", amount: 250, currency: "USD", reference: "rent"),
    ]
    for variant in variants {
      #expect(!(try variant.validated()).matches(stored), "\(variant)")
    }
    // Commit time and sequence are not the caller's: a retry matches whatever they were.
    #expect(command.matches(command.transfer(sequence: 99, createdAt: Timestamp(nanosecondsSinceEpoch: 5))))
  }

  @Test func rebuildingChecksEveryInvariant() throws {
    let alice = try AccountID("alice")
    func rebuild(credit: AccountID? = nil, sequence: Int64 = 1, reference: String = "") throws(LedgerError) -> Transfer {
      try Transfer(
        id: command.id, debitAccountID: alice, creditAccountID: credit ?? command.creditAccountID,
        amount: command.amount, currency: .usd, reference: reference, createdAt: Timestamp(nanosecondsSinceEpoch: 0),
        sequence: sequence)
    }
    #expect(try rebuild().sequence == 1)
    #expect(throws: LedgerError.sameAccount(alice)) { try rebuild(credit: alice) }
    #expect(throws: LedgerError.invalidArgument(field: "sequence", reason: "must be at least 1, got 0")) {
      try rebuild(sequence: 0)
    }
    #expect(throws: LedgerError.invalidArgument(field: "reference", reason: "must be at most 256 characters, got 257")) {
      try rebuild(reference: String(repeating: "x", count: 257))
    }
  }
}
