// Stage 3 (services): the namespace enum of a service with its method descriptors, the
// server-side `ServiceProtocol` and its `registerMethods(with:)`; the client is rendered by
// ClientRenderer inside the same namespace.

/// Renders one service.
struct ServiceRenderer {
  let plan: ServicePlan
  let parts: GeneratorOptions.Parts
  let access: String

  private var fullName: String { plan.decl.fullName }
  private var deprecation: String? { plan.decl.isDeprecated ? "@available(*, deprecated)" : nil }

  func render(into writer: inout SourceWriter) {
    writer.documentation(plan.decl.documentation)
    if plan.decl.documentation != nil { writer.line("///") }
    writer.line(
      "/// Namespace of the `\(fullName)` service: descriptors, the server protocol, the client.")
    if let deprecation { writer.line(deprecation) }
    writer.block("\(access)enum \(plan.names.typeName) {") { body in
      body.line("/// The service's fully qualified name.")
      body.line(
        "\(access)static let serviceName: Swift.String = \(MessageRenderer.stringLiteral(fullName))"
      )
      body.blankLine()
      renderMethods(into: &body)
      if parts.contains(.server) {
        body.blankLine()
        renderProtocol(into: &body)
      }
      if parts.contains(.client) {
        body.blankLine()
        ClientRenderer(plan: plan, access: access).render(into: &body)
      }
    }
    if parts.contains(.server) {
      writer.blankLine()
      renderRegistration(into: &writer)
    }
  }

  private func renderMethods(into writer: inout SourceWriter) {
    writer.line("/// The service's methods.")
    writer.block("\(access)enum Method {") { body in
      for method in plan.methods {
        body.line("/// `\(plan.signature(of: method.decl))`")
        body.block("\(access)enum \(method.names.enumName) {") { namespace in
          namespace.line("\(access)typealias Input = \(method.input)")
          namespace.line("\(access)typealias Output = \(method.output)")
          namespace.line("\(access)static let descriptor = CourierCore.MethodDescriptor(")
          namespace.indented { arguments in
            arguments.wrappedList(descriptorArguments(method), terminator: ")")
          }
        }
        body.blankLine()
      }
      body.line("/// Every method of the service.")
      body.block("\(access)static let descriptors: [CourierCore.MethodDescriptor] = [", closer: "]")
      { list in
        for method in plan.methods { list.line("\(method.names.enumName).descriptor,") }
      }
    }
  }

  /// The arguments of `method`'s `MethodDescriptor`; `requiredScope` only when the schema sets
  /// `(courier.v1.required_scope)`, so methods without it generate what they always did.
  private func descriptorArguments(_ method: MethodPlan) -> [String] {
    var arguments = [
      "service: \(MessageRenderer.stringLiteral(fullName))",
      "method: \(MessageRenderer.stringLiteral(method.decl.name))",
      "kind: .\(method.kind)", "idempotency: .\(method.idempotency)",
    ]
    if let scope = method.decl.requiredScope {
      arguments.append("requiredScope: \(MessageRenderer.stringLiteral(scope))")
    }
    return arguments
  }

  /// The parameters of the handler of `method`, as the protocol requirement declares them.
  static func handlerParameters(_ method: MethodPlan) -> [String] {
    let request =
      method.decl.clientStreaming
      ? "request: CourierCore.RPCAsyncSequence<\(method.input)>" : "request: \(method.input)"
    let response = "response: CourierCore.RPCWriter<\(method.output)>"
    let context = "context: CourierCore.ServerContext"
    return method.decl.serverStreaming ? [request, response, context] : [request, context]
  }

  private func renderProtocol(into writer: inout SourceWriter) {
    writer.line("/// Implement this to serve `\(fullName)`; register the value with a server.")
    writer.block("\(access)protocol ServiceProtocol: CourierCore.RegistrableRPCService {") { body in
      for (index, method) in plan.methods.enumerated() {
        if index > 0 { body.blankLine() }
        body.documentation(method.decl.documentation)
        body.line("func \(method.names.function.quoted)(")
        body.indented { parameters in parameters.wrappedList(Self.handlerParameters(method)) }
        body.line(
          method.decl.serverStreaming ? ") async throws" : ") async throws -> \(method.output)")
      }
    }
  }

  private func renderRegistration(into writer: inout SourceWriter) {
    let namespace = plan.names.typeName
    if let deprecation { writer.line(deprecation) }
    writer.block("extension \(namespace).ServiceProtocol {") { body in
      body.block("\(access)func registerMethods(with router: inout CourierCore.RPCRouter) {") {
        register in
        for method in plan.methods {
          let function: String
          switch method.kind {
          case "unary": function = "registerUnary"
          case "serverStreaming": function = "registerServerStreaming"
          case "clientStreaming": function = "registerClientStreaming"
          default: function = "registerBidirectionalStreaming"
          }
          let parameters = Self.handlerParameters(method).dropLast() + ["context"]
          let arguments =
            (method.decl.serverStreaming
            ? ["request", "response", "context"] : ["request", "context"])
            .map { "\($0): \($0)" }.joined(separator: ", ")
          register.block(
            "router.\(function)(\(namespace).Method.\(method.names.enumName).descriptor) {"
          ) { handler in
            handler.line("(\(parameters.joined(separator: ", "))) in")
            handler.line("try await self.\(method.names.function.quoted)(\(arguments))")
          }
        }
      }
    }
  }
}
