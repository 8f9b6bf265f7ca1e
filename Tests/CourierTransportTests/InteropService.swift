import CourierCore
import CourierTestAPI

/// The interop test service, after grpc's interop `TestService`: echoes status and metadata,
/// sizes payloads as asked, sleeps between streamed responses.
struct InteropService: Courier_Test_V1_TestService.ServiceProtocol {
  static let echoInitialKey = "x-grpc-test-echo-initial"
  static let echoTrailingKey = "x-grpc-test-echo-trailing-bin"

  /// What handlers saw, for tests that check the server side.
  final class Observations: Sendable {
    private let state = LockedValue((started: 0, cancelled: 0, completed: 0))
    func started() { state.withLock { $0.started += 1 } }
    func cancelled() { state.withLock { $0.cancelled += 1 } }
    func completed() { state.withLock { $0.completed += 1 } }
    var counts: (started: Int, cancelled: Int, completed: Int) { state.withLock { $0 } }
  }

  let observations = Observations()

  static func payload(size: Int32) -> Courier_Test_V1_Payload {
    var payload = Courier_Test_V1_Payload()
    payload.body = [UInt8](repeating: 0, count: Int(max(0, size)))
    return payload
  }

  /// Copies the echo keys of the request metadata to the response, as interop servers do.
  static func echoMetadata(_ context: ServerContext) {
    if let initial = context.requestMetadata.firstString(forKey: echoInitialKey) {
      var metadata = context.response.initial
      metadata.addString(initial, forKey: echoInitialKey)
      context.response.initial = metadata
    }
    if let trailing = context.requestMetadata.firstBinary(forKey: echoTrailingKey) {
      var metadata = context.response.trailing
      metadata.addBinary(trailing, forKey: echoTrailingKey)
      context.response.trailing = metadata
    }
  }

  static func check(_ status: Courier_Test_V1_EchoStatus, present: Bool) throws {
    guard present, status.code != 0 else { return }
    throw RPCError(code: StatusCode(rawValue: Int(status.code)), message: status.message)
  }

  func emptyCall(request: Courier_Test_V1_Empty, context: ServerContext) async throws -> Courier_Test_V1_Empty {
    Self.echoMetadata(context)
    return Courier_Test_V1_Empty()
  }

  func unaryCall(request: Courier_Test_V1_SimpleRequest, context: ServerContext) async throws -> Courier_Test_V1_SimpleResponse {
    Self.echoMetadata(context)
    try Self.check(request.responseStatus, present: request.hasResponseStatus)
    var response = Courier_Test_V1_SimpleResponse()
    response.payload = Self.payload(size: request.responseSize)
    if request.fillServerID { response.serverID = context.peer }
    return response
  }

  func streamingOutputCall(
    request: Courier_Test_V1_StreamingOutputCallRequest,
    response: RPCWriter<Courier_Test_V1_StreamingOutputCallResponse>, context: ServerContext
  ) async throws {
    observations.started()
    Self.echoMetadata(context)
    do {
      for parameters in request.responseParameters {
        if parameters.intervalUs > 0 { try await Task.sleep(for: .microseconds(Int(parameters.intervalUs))) }
        var message = Courier_Test_V1_StreamingOutputCallResponse()
        message.payload = Self.payload(size: parameters.size)
        try await response.write(message)
      }
      try Self.check(request.responseStatus, present: request.hasResponseStatus)
      observations.completed()
    } catch {
      if Task.isCancelled { observations.cancelled() }
      throw error
    }
  }

  func streamingInputCall(
    request: RPCAsyncSequence<Courier_Test_V1_StreamingInputCallRequest>, context: ServerContext
  ) async throws -> Courier_Test_V1_StreamingInputCallResponse {
    observations.started()
    do {
      var total: Int32 = 0
      for try await message in request { total += Int32(message.payload.body.count) }
      var response = Courier_Test_V1_StreamingInputCallResponse()
      response.aggregatedPayloadSize = total
      observations.completed()
      return response
    } catch {
      if Task.isCancelled { observations.cancelled() }
      throw error
    }
  }

  func fullDuplexCall(
    request: RPCAsyncSequence<Courier_Test_V1_StreamingOutputCallRequest>,
    response: RPCWriter<Courier_Test_V1_StreamingOutputCallResponse>, context: ServerContext
  ) async throws {
    observations.started()
    Self.echoMetadata(context)
    do {
      for try await message in request {
        try Self.check(message.responseStatus, present: message.hasResponseStatus)
        for parameters in message.responseParameters {
          if parameters.intervalUs > 0 { try await Task.sleep(for: .microseconds(Int(parameters.intervalUs))) }
          var reply = Courier_Test_V1_StreamingOutputCallResponse()
          reply.payload = Self.payload(size: parameters.size)
          try await response.write(reply)
        }
      }
      observations.completed()
    } catch {
      if Task.isCancelled { observations.cancelled() }
      throw error
    }
  }

  func halfDuplexCall(
    request: RPCAsyncSequence<Courier_Test_V1_StreamingOutputCallRequest>,
    response: RPCWriter<Courier_Test_V1_StreamingOutputCallResponse>, context: ServerContext
  ) async throws {
    var buffered: [Courier_Test_V1_StreamingOutputCallRequest] = []
    for try await message in request { buffered.append(message) }
    for message in buffered {
      for parameters in message.responseParameters {
        var reply = Courier_Test_V1_StreamingOutputCallResponse()
        reply.payload = Self.payload(size: parameters.size)
        try await response.write(reply)
      }
    }
  }

  func unimplementedCall(request: Courier_Test_V1_Empty, context: ServerContext) async throws -> Courier_Test_V1_Empty {
    throw RPCError(code: .unimplemented, message: "UnimplementedCall is not implemented")
  }
}
