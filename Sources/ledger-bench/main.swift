print("ledger-bench: placeholder")
