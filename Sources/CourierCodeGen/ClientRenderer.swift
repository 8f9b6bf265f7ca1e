// Stage 3 (services): the `Client` struct of a service namespace: one method per rpc (two for
// unary and client-streaming rpcs: one taking and returning messages, one taking the request
// with its metadata and returning the response with its metadata).

/// Renders the `Client` of one service.
struct ClientRenderer {
  let plan: ServicePlan
  let access: String

  private static let metadataParameter = "metadata: CourierCore.Metadata = [:]"
  private static let optionsParameter = "options: CourierCore.CallOptions = .defaults"

  func render(into writer: inout SourceWriter) {
    writer.line(
      "/// Calls `\(plan.decl.fullName)` through any `ClientCallInvoker` (usually a transport channel)."
    )
    writer.block("\(access)struct Client: Swift.Sendable {") { body in
      body.line("\(access)let invoker: any CourierCore.ClientCallInvoker")
      body.blankLine()
      body.block("\(access)init(wrapping invoker: any CourierCore.ClientCallInvoker) {") {
        initializer in
        initializer.line("self.invoker = invoker")
      }
      for method in plan.methods {
        switch (method.decl.clientStreaming, method.decl.serverStreaming) {
        case (false, false): renderUnary(method, into: &body)
        case (false, true): renderServerStreaming(method, into: &body)
        case (true, false): renderClientStreaming(method, into: &body)
        case (true, true): renderBidirectionalStreaming(method, into: &body)
        }
      }
    }
  }

  /// A client method: doc comment, deprecation, signature, body.
  private func renderFunction(
    _ method: MethodPlan, generic: Bool = false, parameters: [String], returns: String,
    into writer: inout SourceWriter, body: (inout SourceWriter) -> Void
  ) {
    writer.blankLine()
    writer.documentation(method.decl.documentation)
    if method.decl.isDeprecated { writer.line("@available(*, deprecated)") }
    let genericClause = generic ? "<Result: Swift.Sendable>" : ""
    writer.line("\(access)func \(method.names.function.quoted)\(genericClause)(")
    writer.indented { list in list.wrappedList(parameters) }
    writer.line(") async throws -> \(returns) {")
    writer.indented(body)
    writer.line("}")
  }

  private func descriptor(_ method: MethodPlan) -> String {
    "descriptor: Method.\(method.names.enumName).descriptor"
  }

  private func onResponse(_ method: MethodPlan) -> String {
    "onResponse: @escaping @Sendable (CourierCore.StreamingClientResponse<\(method.output)>) async throws -> Result"
  }

  private func requestProducer(_ method: MethodPlan) -> String {
    "requestProducer: @escaping @Sendable (CourierCore.RPCWriter<\(method.input)>) async throws -> Swift.Void"
  }

  /// `try await self.<name>(<arguments>\n).message`: the message overload delegating to the
  /// metadata overload.
  private func delegateToMetadataOverload(
    _ method: MethodPlan, request: String, into writer: inout SourceWriter
  ) {
    writer.line("try await self.\(method.names.function.quoted)(")
    writer.indented { arguments in arguments.wrappedList([request, "options: options"]) }
    writer.line(").message")
  }

  private func callInvoker(
    _ function: String, _ arguments: [String], into writer: inout SourceWriter
  ) {
    writer.line("try await self.invoker.\(function)(")
    writer.indented { list in list.wrappedList(arguments, terminator: ")") }
  }

  private func renderUnary(_ method: MethodPlan, into writer: inout SourceWriter) {
    renderFunction(
      method,
      parameters: ["_ request: \(method.input)", Self.metadataParameter, Self.optionsParameter],
      returns: method.output, into: &writer
    ) { body in
      delegateToMetadataOverload(
        method, request: "CourierCore.ClientRequest(message: request, metadata: metadata)",
        into: &body)
    }
    renderFunction(
      method,
      parameters: ["_ request: CourierCore.ClientRequest<\(method.input)>", Self.optionsParameter],
      returns: "CourierCore.ClientResponse<\(method.output)>", into: &writer
    ) { body in
      callInvoker(
        "unary", ["request: request", descriptor(method), "options: options"], into: &body)
    }
  }

  private func renderServerStreaming(_ method: MethodPlan, into writer: inout SourceWriter) {
    renderFunction(
      method, generic: true,
      parameters: [
        "_ request: \(method.input)", Self.metadataParameter, Self.optionsParameter,
        onResponse(method),
      ],
      returns: "Result", into: &writer
    ) { body in
      callInvoker(
        "serverStreaming",
        [
          "request: CourierCore.ClientRequest(message: request, metadata: metadata)",
          descriptor(method),
          "options: options", "onResponse: onResponse",
        ], into: &body)
    }
  }

  private func renderClientStreaming(_ method: MethodPlan, into writer: inout SourceWriter) {
    renderFunction(
      method, parameters: [Self.metadataParameter, Self.optionsParameter, requestProducer(method)],
      returns: method.output, into: &writer
    ) { body in
      delegateToMetadataOverload(
        method,
        request:
          "CourierCore.StreamingClientRequest(metadata: metadata, producer: requestProducer)",
        into: &body)
    }
    renderFunction(
      method,
      parameters: [
        "_ request: CourierCore.StreamingClientRequest<\(method.input)>", Self.optionsParameter,
      ],
      returns: "CourierCore.ClientResponse<\(method.output)>", into: &writer
    ) { body in
      callInvoker(
        "clientStreaming", ["request: request", descriptor(method), "options: options"], into: &body
      )
    }
  }

  private func renderBidirectionalStreaming(_ method: MethodPlan, into writer: inout SourceWriter) {
    renderFunction(
      method, generic: true,
      parameters: [
        Self.metadataParameter, Self.optionsParameter, requestProducer(method), onResponse(method),
      ],
      returns: "Result", into: &writer
    ) { body in
      callInvoker(
        "bidirectionalStreaming",
        [
          "request: CourierCore.StreamingClientRequest(metadata: metadata, producer: requestProducer)",
          descriptor(method), "options: options", "onResponse: onResponse",
        ], into: &body)
    }
  }
}
