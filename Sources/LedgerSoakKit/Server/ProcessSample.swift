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
  /// CPU time used so far, user and system, in seconds (/proc/<pid>/stat).
  public var cpuSeconds: Double

  public init(residentKiB: Int, residentPeakKiB: Int, descriptors: Int, sockets: Int, threads: Int, cpuSeconds: Double) {
    self.residentKiB = residentKiB
    self.residentPeakKiB = residentPeakKiB
    self.descriptors = descriptors
    self.sockets = sockets
    self.threads = threads
    self.cpuSeconds = cpuSeconds
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
      let cpuSeconds = cpuSeconds(pid: pid), let (descriptors, sockets) = countDescriptors(pid: pid)
    else { return nil }
    return ProcessSample(
      residentKiB: resident, residentPeakKiB: peak, descriptors: descriptors, sockets: sockets, threads: threads,
      cpuSeconds: cpuSeconds)
  }

  /// `utime + stime` from /proc/`pid`/stat, in seconds. The fields are counted after the
  /// command name's closing parenthesis (the name itself may hold spaces).
  private static func cpuSeconds(pid: pid_t) -> Double? {
    let stat = readFile("/proc/\(pid)/stat")
    guard let close = stat.lastIndex(of: ")") else { return nil }
    // After ")": state is field 3, utime 14, stime 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    return (user + system) / (ticksPerSecond > 0 ? ticksPerSecond : 100)
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
