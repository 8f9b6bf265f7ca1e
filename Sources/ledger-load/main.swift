print("ledger-load")
