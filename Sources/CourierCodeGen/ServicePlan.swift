// Stage 2 (services): a service of the checked model translated into what its Swift code
// needs: resolved input and output types, names, the RPC kind of each method.

import CourierSchema

/// One rpc, ready to render.
struct MethodPlan {
  var decl: MethodDecl
  var names: MethodNames
  /// Swift paths of the request and response messages.
  var input: String
  var output: String

  /// The `CourierCore.RPCKind` case.
  var kind: String {
    switch (decl.clientStreaming, decl.serverStreaming) {
    case (false, false): return "unary"
    case (false, true): return "serverStreaming"
    case (true, false): return "clientStreaming"
    case (true, true): return "bidirectionalStreaming"
    }
  }

  /// The `CourierCore.Idempotency` case.
  var idempotency: String {
    switch decl.idempotencyLevel {
    case .idempotencyUnknown: return "unknown"
    case .noSideEffects: return "noSideEffects"
    case .idempotent: return "idempotent"
    }
  }
}

/// A service, ready to render.
struct ServicePlan {
  var decl: ServiceDecl
  var names: ServiceNames
  var methods: [MethodPlan]
  /// The package of the file, to print message names relative to it.
  var package: String

  init(_ service: ServiceDecl, package: String, context: RenderContext) throws(CodeGenerationError)
  {
    guard let names = context.names.services[service.fullName],
      names.methods.count == service.methods.count
    else {
      throw CodeGenerationError(
        "no Swift name for service \(service.fullName)", at: service.location)
    }
    self.decl = service
    self.names = names
    self.package = package
    var methods: [MethodPlan] = []
    for (method, methodNames) in zip(service.methods, names.methods) {
      for type in [method.inputType, method.outputType] where context.index.messages[type] == nil {
        throw CodeGenerationError(
          "rpc \(method.name) uses \(type), which is not a message", at: method.location)
      }
      methods.append(
        MethodPlan(
          decl: method, names: methodNames,
          input: try context.typePath(method.inputType, at: method.location),
          output: try context.typePath(method.outputType, at: method.location)))
    }
    self.methods = methods
  }

  /// The rpc as declared, e.g. `rpc Stream(TransferRequest) returns (stream TransferReply)`,
  /// with message names relative to the service's package.
  func signature(of method: MethodDecl) -> String {
    func relative(_ name: String) -> String {
      guard !package.isEmpty, name.hasPrefix(package + ".") else { return name }
      return String(name.dropFirst(package.count + 1))
    }
    let input = (method.clientStreaming ? "stream " : "") + relative(method.inputType)
    let output = (method.serverStreaming ? "stream " : "") + relative(method.outputType)
    return "rpc \(method.name)(\(input)) returns (\(output))"
  }
}
