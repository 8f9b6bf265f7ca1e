print("courier-gen")
