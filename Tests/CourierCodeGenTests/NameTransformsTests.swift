import CourierCodeGen
import Testing

@Suite struct NameTransformsTests {
  @Test(arguments: [
    ("transfer_id", "transferID"), ("created_at_unix_nanos", "createdAtUnixNanos"), ("id", "id"),
    ("URL", "url"), ("HTTPServer", "httpServer"), ("callback_url", "callbackURL"),
    ("https_proxy", "httpsProxy"), ("http_status", "httpStatus"), ("user_id_list", "userIDList"),
    ("NOT_FOUND", "notFound"), ("fooBar", "fooBar"), ("FooBar", "fooBar"), ("foo__bar", "fooBar"),
    ("_leading", "leading"), ("v1_field", "v1Field"), ("field_2", "field2"), ("___", ""),
  ])
  func lowerCamelCase(_ input: String, _ expected: String) {
    #expect(NameTransforms.lowerCamelCase(input) == expected)
  }

  @Test(arguments: [
    ("bench.v1", "Bench_V1_"), ("my_pkg.api", "MyPkg_Api_"), ("", ""),
    ("grpc.testing", "Grpc_Testing_"),
  ])
  func packagePrefix(_ package: String, _ expected: String) {
    #expect(NameTransforms.packagePrefix(package) == expected)
  }

  @Test(arguments: [
    ("Foo", "Foo"), ("foo", "Foo"), ("_foo", "Foo"), ("foo_bar", "Foo_bar"), ("__", ""),
  ])
  func typeName(_ input: String, _ expected: String) {
    #expect(NameTransforms.typeName(input) == expected)
  }

  @Test(arguments: [("My.Prefix-", "My_Prefix_"), ("2x", "_2x"), ("Ok_", "Ok_")])
  func sanitizedPrefix(_ input: String, _ expected: String) {
    #expect(NameTransforms.sanitizedPrefix(input) == expected)
  }

  @Test(arguments: [
    ("STATUS_OK", "Status", "OK"), ("STATUS_NOT_FOUND", "Status", "NOT_FOUND"),
    ("HTTP_METHOD_GET", "HttpMethod", "GET"), ("HTTPMETHOD_POST", "HttpMethod", "POST"),
    ("status__ok", "Status", "ok"),
  ])
  func enumPrefixIsStripped(_ value: String, _ enumName: String, _ expected: String) {
    #expect(NameTransforms.strippingEnumPrefix(value, enumName: enumName) == expected)
  }

  @Test(arguments: [
    ("COLOR_1", "Color"), ("COLORFUL", "Color"), ("RED", "Color"), ("COLOR_", "Color"),
    ("COLOR", "Color"),
  ])
  func enumPrefixIsKeptWhenTheRestIsNoIdentifier(_ value: String, _ enumName: String) {
    #expect(NameTransforms.strippingEnumPrefix(value, enumName: enumName) == nil)
  }
}
