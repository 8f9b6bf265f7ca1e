#if canImport(Glibc)
  import Glibc
#endif

/// What /proc says about a process at one moment.
public struct ProcessSample: Sendable, Hashable {
  /// Resident memory (`VmRSS`), in KiB.
  public var residentKiB: Int
  /// The highest resident memory so far (`VmHWM`), in KiB.
  public var residentPeakKiB: Int
  /// Open file descriptors (entries of /proc/<pid>/fd).
  public var descriptors: Int
  /// Of those, sockets (the listener and one per connection).
  public var sockets: Int
  /// Threads (`Threads`).
  public var threads: Int

  public init(residentKiB: Int, residentPeakKiB: Int, descriptors: Int, sockets: Int, threads: Int) {
    self.residentKiB = residentKiB
    self.residentPeakKiB = residentPeakKiB
    self.descriptors = descriptors
    self.sockets = sockets
    self.threads = threads
  }

  /// Reads /proc/`pid`; nil when the process is gone.
  static func read(pid: pid_t) -> ProcessSample? {
    let status = readFile("/proc/\(pid)/status")
    guard !status.isEmpty else { return nil }
    var fields: [Substring: Int] = [:]
    for line in status.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon]
      guard name == "VmRSS" || name == "VmHWM" || name == "Threads" else { continue }
      let words = line[line.index(after: colon)...].split { $0 == " " || $0 == "\t" }
      fields[name] = words.first.flatMap { Int($0) }
    }
    guard let resident = fields["VmRSS"], let peak = fields["VmHWM"], let threads = fields["Threads"],
      let (descriptors, sockets) = countDescriptors(pid: pid)
    else { return nil }
    return ProcessSample(
      residentKiB: resident, residentPeakKiB: peak, descriptors: descriptors, sockets: sockets, threads: threads)
  }

  /// Entries of /proc/`pid`/fd, and how many of them are sockets.
  private static func countDescriptors(pid: pid_t) -> (all: Int, sockets: Int)? {
    let directory = "/proc/\(pid)/fd"
    guard let handle = opendir(directory) else { return nil }
    defer { closedir(handle) }
    var all = 0
    var sockets = 0
    var target = [CChar](repeating: 0, count: 256)
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      all += 1
      let length = readlink(directory + "/" + name, &target, target.count - 1)
      if length > 0 {
        let link = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if link.hasPrefix("socket:") { sockets += 1 }
      }
    }
    return (all, sockets)
  }
}
