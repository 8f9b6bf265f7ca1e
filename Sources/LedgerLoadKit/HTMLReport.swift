#if canImport(Glibc)
  import Glibc
#endif

/// A self-contained HTML page for a ``LoadReport``: the figures, an inline SVG
/// latency-by-percentile chart and an inline SVG throughput-over-time chart. No scripts, no
/// network fetches; it opens from disk.
public enum HTMLReport {
  static let chartWidth = 720.0
  static let chartHeight = 280.0
  static let margin = 48.0

  /// The page.
  public static func render(_ report: LoadReport) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>ledger-load report \(escape(report.runTag))</title>
    <style>
    body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
    pre { background: #f6f6f6; padding: 1em; }
    svg { background: #fff; border: 1px solid #ddd; }
    .axis { stroke: #888; } .grid { stroke: #eee; } .line { stroke: #1f6feb; fill: none; stroke-width: 2; }
    .bar { fill: #2da44e; } .errbar { fill: #cf222e; } text { font-size: 11px; fill: #444; }
    </style>
    </head>
    <body>
    <h1>ledger-load: \(report.succeeded ? "PASS" : "FAIL")</h1>
    <h2>Latency by percentile</h2>
    \(percentileChart(report))
    <h2>Throughput over time (calls finished per second; errors in red)</h2>
    \(throughputChart(report))
    <h2>Report</h2>
    <pre>\(escape(ReportRendering.text(report)))</pre>
    </body>
    </html>

    """
  }

  /// Latency (ms, linear) against percentile on the usual log scale of 1/(1 - p).
  static func percentileChart(_ report: LoadReport) -> String {
    let points = report.percentileCurve.filter { $0.percentile < 100 }
    let maximumMicroseconds = max(1, report.percentileCurve.map(\.microseconds).max() ?? 1)
    // x = log10(1 / (1 - p)): 0 at p0, 1 at p90, 2 at p99, 4 at p99.99.
    func x(_ percentile: Double) -> Double {
      let position = min(4, -log10(max(1e-4, 1 - percentile / 100)))
      return margin + position / 4 * (chartWidth - 2 * margin)
    }
    func y(_ microseconds: UInt64) -> Double {
      chartHeight - margin - Double(microseconds) / Double(maximumMicroseconds) * (chartHeight - 2 * margin)
    }
    var svg = openSVG(label: "latency by percentile")
    svg += axes()
    for (percent, name) in [(0.0, "p0"), (90, "p90"), (99, "p99"), (99.9, "p99.9"), (99.99, "p99.99")] {
      svg += "<line class=\"grid\" x1=\"\(f(x(percent)))\" y1=\"\(f(margin))\" x2=\"\(f(x(percent)))\" y2=\"\(f(chartHeight - margin))\"/>"
      svg += "<text x=\"\(f(x(percent) - 10))\" y=\"\(f(chartHeight - margin + 16))\">\(name)</text>"
    }
    svg += "<text x=\"4\" y=\"\(f(margin - 8))\">\(ReportRendering.milliseconds(maximumMicroseconds))</text>"
    svg += "<text x=\"4\" y=\"\(f(chartHeight - margin))\">0 ms</text>"
    let path = points.map { "\(f(x($0.percentile))),\(f(y($0.microseconds)))" }.joined(separator: " ")
    svg += "<polyline class=\"line\" points=\"\(path)\"/>"
    for point in points {
      svg += "<circle cx=\"\(f(x(point.percentile)))\" cy=\"\(f(y(point.microseconds)))\" r=\"3\" fill=\"#1f6feb\">"
        + "<title>p\(ReportRendering.label(point.percentile)): \(ReportRendering.milliseconds(point.microseconds))</title></circle>"
    }
    return svg + "</svg>"
  }

  /// One bar per second of the run.
  static func throughputChart(_ report: LoadReport) -> String {
    let series = report.callsPerSecondSeries
    let peak = max(1, series.max() ?? 1)
    let slot = (chartWidth - 2 * margin) / Double(max(1, series.count))
    var svg = openSVG(label: "throughput over time")
    svg += axes()
    svg += "<text x=\"4\" y=\"\(f(margin - 8))\">\(peak)/s</text>"
    svg += "<text x=\"\(f(margin))\" y=\"\(f(chartHeight - margin + 16))\">0 s</text>"
    svg += "<text x=\"\(f(chartWidth - margin - 20))\" y=\"\(f(chartHeight - margin + 16))\">\(series.count) s</text>"
    let plotHeight = chartHeight - 2 * margin
    for (second, calls) in series.enumerated() {
      let height = Double(calls) / Double(peak) * plotHeight
      let errors = second < report.errorsPerSecondSeries.count ? report.errorsPerSecondSeries[second] : 0
      let errorHeight = Double(errors) / Double(peak) * plotHeight
      let left = margin + Double(second) * slot + slot * 0.1
      svg += "<rect class=\"bar\" x=\"\(f(left))\" y=\"\(f(chartHeight - margin - height))\" width=\"\(f(slot * 0.8))\" height=\"\(f(height))\">"
        + "<title>second \(second + 1): \(calls) calls, \(errors) errors</title></rect>"
      if errors > 0 {
        svg += "<rect class=\"errbar\" x=\"\(f(left))\" y=\"\(f(chartHeight - margin - errorHeight))\" width=\"\(f(slot * 0.8))\" height=\"\(f(errorHeight))\"/>"
      }
    }
    return svg + "</svg>"
  }

  private static func openSVG(label: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(label)\" width=\"\(f(chartWidth))\" "
      + "height=\"\(f(chartHeight))\" viewBox=\"0 0 \(f(chartWidth)) \(f(chartHeight))\">"
  }

  private static func axes() -> String {
    "<line class=\"axis\" x1=\"\(f(margin))\" y1=\"\(f(chartHeight - margin))\" x2=\"\(f(chartWidth - margin))\" y2=\"\(f(chartHeight - margin))\"/>"
      + "<line class=\"axis\" x1=\"\(f(margin))\" y1=\"\(f(margin))\" x2=\"\(f(margin))\" y2=\"\(f(chartHeight - margin))\"/>"
  }

  private static func f(_ value: Double) -> String { ReportRendering.fixed(value, 1) }

  /// Escapes text for HTML element content and attribute values.
  static func escape(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      default: result.append(character)
      }
    }
    return result
  }
}
