import CourierCore
import CourierTestAPI
import Testing

/// `(courier.v1.required_scope)` reaches the generated descriptors
/// (Tests/Schemas/courier/test/v1/scopes.proto), and methods without it have no scope.
@Suite("required scope in generated descriptors")
struct RequiredScopeTests {
  @Test func descriptorsCarryTheSchemaScopes() {
    #expect(Courier_Test_V1_ScopedService.Method.Read.descriptor.requiredScope == "test.read")
    #expect(Courier_Test_V1_ScopedService.Method.Write.descriptor.requiredScope == "test.write")
    #expect(Courier_Test_V1_ScopedService.Method.Ping.descriptor.requiredScope == nil)
    #expect(Courier_Test_V1_ScopedService.Method.Escaped.descriptor.requiredScope == #"test:"quoted"\slash"#)
    // The other options of a method are unaffected.
    #expect(Courier_Test_V1_ScopedService.Method.Read.descriptor.idempotency == .noSideEffects)
  }

  @Test func methodsWithoutTheOptionHaveNoScope() {
    let descriptors = Courier_Test_V1_TestService.Method.descriptors + Courier_Test_V1_UnimplementedService.Method.descriptors
    #expect(descriptors.allSatisfy { $0.requiredScope == nil })
  }
}
