// Schema files the compiler provides itself, whatever the proto paths hold.

/// Files that resolve without a proto path: today only `google/protobuf/descriptor.proto`,
/// reduced to what proto3 custom options need.
///
/// Custom options are declared by extending an options message of descriptor.proto
/// (`extend google.protobuf.MethodOptions { ... }`). Courier needs those messages only as
/// names: it neither generates code for them nor reads option values from their fields. The
/// built-in file is used even when a proto path holds the real descriptor.proto, because the
/// real file is proto2 (which Courier does not parse) and because the same schema should not
/// compile differently depending on which protobuf installation is on the path.
enum BuiltInSchemas {
  /// The path protoc and every protobuf distribution use for descriptor.proto.
  static let descriptorPath = "google/protobuf/descriptor.proto"

  /// The contents of the built-in file at the root-relative `path`, if there is one.
  static func contents(of path: String) -> [UInt8]? {
    path == descriptorPath ? Array(descriptorSource.utf8) : nil
  }

  /// The nine options messages of descriptor.proto, by name only (one per `OptionLevel`).
  static let descriptorSource: String = {
    var lines = [
      "// Built into CourierSchema: the options messages of google/protobuf/descriptor.proto, as",
      "// names only, so that schemas can declare custom options by extending them.",
      "syntax = \"proto3\";",
      "package google.protobuf;",
    ]
    for level in OptionLevel.allCases { lines.append("message \(level.optionsMessageName) {}") }
    return lines.joined(separator: "\n") + "\n"
  }()
}
