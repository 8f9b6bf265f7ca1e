// `import LedgerClient` is all a caller writes: the generated Ledger API (messages, enums,
// `Ledger_V1_Accounts.Client`, `Ledger_V1_Transfers.Client`, `Grpc_Health_V1_Health.Client`),
// Courier's call vocabulary (`CallOptions`, `Metadata`, `RPCError`, `StatusCode`,
// `ClientInterceptor`) and the transport's client side (`Endpoint`, `Backoff`, `RetryPolicy`,
// `TransportLimits`, `CourierChannel`) come with it. No server target is linked.
@_exported import CourierCore
@_exported import CourierTransport
@_exported import LedgerAPI
