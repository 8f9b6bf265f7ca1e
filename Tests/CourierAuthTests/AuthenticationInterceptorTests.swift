import CourierAuth
import CourierCore
import Testing

/// The interceptor on its own; the same outcomes over TCP are in LedgerEndToEndTests.
@Suite("Authentication interceptor")
struct AuthenticationInterceptorTests {
  let key = try! TokenKey(id: "k1", secret: [UInt8](repeating: 1, count: 32))
  var interceptor: AuthenticationInterceptor {
    AuthenticationInterceptor(
      verifier: TokenVerifier(keys: try! TokenKeyRing([key])), publicServices: ["grpc.health.v1.Health"])
  }
  let write = MethodDescriptor(service: "ledger.v1.Transfers", method: "CreateTransfer", kind: .unary, requiredScope: "ledger.write")
  let open = MethodDescriptor(service: "ledger.v1.Transfers", method: "Anything", kind: .unary)
  let health = MethodDescriptor(service: "grpc.health.v1.Health", method: "Check", kind: .unary)

  func context(_ descriptor: MethodDescriptor, _ metadata: Metadata = [:]) -> ServerContext {
    ServerContext(descriptor: descriptor, requestMetadata: metadata, deadline: nil, peer: "test")
  }

  func bearer(_ scopes: [String]) -> Metadata {
    let token = try! TokenSigner(key: key).mint(subject: "svc", scopes: scopes, lifetime: .seconds(60))
    return ["authorization": .string("Bearer \(token)")]
  }

  @Test func aTokenWithTheScopeReachesTheHandlerWhichSeesTheCaller() async throws {
    let subject = try await interceptor.intercept(context: context(write, bearer(["ledger.write"]))) { _ in
      AuthenticatedCaller.current?.subject
    }
    #expect(subject == "svc")
  }

  @Test func aMethodWithoutAScopeNeedsOnlyAValidToken() async throws {
    let reached = try await interceptor.intercept(context: context(open, bearer([]))) { _ in true }
    #expect(reached)
    await expectRejected(.unauthenticated, context(open))
  }

  @Test func aTokenWithoutTheScopeIsPermissionDenied() async {
    await expectRejected(.permissionDenied, context(write, bearer(["ledger.read"])))
  }

  @Test func missingOrBadCredentialsAreUnauthenticated() async {
    var twice = bearer(["ledger.write"])
    twice.add(contentsOf: bearer(["ledger.write"]))
    for metadata: Metadata in [
      [:], ["authorization": "Bearer nonsense"], ["authorization": "Basic abc"], twice,
    ] {
      await expectRejected(.unauthenticated, context(write, metadata))
    }
  }

  @Test func publicServicesNeedNoCredentials() async throws {
    let caller = try await interceptor.intercept(context: context(health)) { _ in AuthenticatedCaller.current }
    #expect(caller == nil)
  }

  @Test func rejectionsAreReportedWithTheReason() async {
    let reasons = LockedValue<[AuthenticationFailure]>([])
    let interceptor = AuthenticationInterceptor(verifier: TokenVerifier(keys: try! TokenKeyRing([key]))) { _, failure in
      reasons.withLock { $0.append(failure) }
    }
    _ = try? await interceptor.intercept(context: context(write)) { _ in () }
    _ = try? await interceptor.intercept(context: context(write, bearer(["ledger.read"]))) { _ in () }
    #expect(reasons.withLock { $0 } == [.missingCredentials, .missingScope("ledger.write")])
  }

  private func expectRejected(_ code: StatusCode, _ context: ServerContext) async {
    let reached = LockedValue(false)
    do {
      try await interceptor.intercept(context: context) { _ in reached.withLock { $0 = true } }
      Issue.record("expected \(code)")
    } catch let error as RPCError {
      #expect(error.code == code)
      let fixed =
        code == .unauthenticated
        ? AuthenticationInterceptor.unauthenticatedMessage : AuthenticationInterceptor.permissionDeniedMessage
      #expect(error.message == fixed)
    } catch {
      Issue.record("unexpected \(error)")
    }
    #expect(!reached.withLock { $0 })
  }
}
