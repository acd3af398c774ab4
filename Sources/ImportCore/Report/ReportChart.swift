/// The report page's chart of a ``LoadSeries``, as inline SVG: writes per second (left axis) and rows in
/// flight (right axis) over the run's seconds, the write rate limit as a dashed horizontal line, a legend, and
/// a `<title>` on the chart and on each line, which a browser shows on hover and a screen reader reads.
///
/// Drawn from numbers alone, with no script: the page reads the same wherever it is opened.
enum ReportChart {
    static let width = 1000.0
    static let height = 400.0
    static let left = 70.0
    static let right = 70.0
    static let top = 20.0
    static let bottom = 90.0
    static let writesColour = "#2563eb"
    static let rowsColour = "#d97706"
    static let limitColour = "#dc2626"

    /// The scales of one chart: the seconds across, and each axis's top and tick step.
    struct Scale {
        var seconds: Double
        var writesTop: Double
        var writesStep: Double
        var rowsTop: Double
        var rowsStep: Double

        func x(_ second: Double) -> Double { left + second / seconds * (width - left - right) }
        func y(_ value: Double, top axisTop: Double) -> Double {
            height - bottom - value / axisTop * (height - top - bottom)
        }
    }

    /// The chart, with a caption saying how many seconds a point covers.
    static func svg(_ series: LoadSeries) -> String {
        var points = series.points
        guard let last = points.last else { return "<p>No writes were sent.</p>\n" }
        // One point draws no line: the run's only span is drawn from its start to its end.
        if points.count == 1 {
            points.append(
                LoadSeries.Point(
                    second: last.second + series.secondsPerPoint, writesPerSecond: last.writesPerSecond,
                    rowsInFlight: last.rowsInFlight))
        }
        let scale = Self.scale(points, limit: series.writeRateLimit)
        let title =
            "Writes per second and rows in flight over \(timeLabel(Int(scale.seconds)))"
            + (series.writeRateLimit.map { ", against a rate limit of \(ReportText.rate($0)) writes per second" } ?? "")
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-labelledby=\"chart-title\" id=\"load-chart\">\n"
            + "<title id=\"chart-title\">\(HTMLText.escape(title))</title>\n"
        svg += axes(scale)
        if let limit = series.writeRateLimit {
            let y = number(scale.y(limit, top: scale.writesTop))
            svg +=
                "<line id=\"rate-limit\" x1=\"\(number(left))\" y1=\"\(y)\" x2=\"\(number(width - right))\" y2=\"\(y)\" "
                + "stroke=\"\(limitColour)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\">"
                + "<title>Rate limit: \(ReportText.rate(limit)) writes per second</title></line>\n"
        }
        svg += line(
            id: "series-writes", title: "Writes per second", colour: writesColour,
            points: points.map { (Double($0.second), scale.y($0.writesPerSecond, top: scale.writesTop)) }, scale: scale)
        svg += line(
            id: "series-rows-in-flight", title: "Rows in flight", colour: rowsColour,
            points: points.map { (Double($0.second), scale.y(Double($0.rowsInFlight), top: scale.rowsTop)) },
            scale: scale)
        svg += legend(limit: series.writeRateLimit) + "</svg>\n"
        let per = series.secondsPerPoint == 1 ? "second" : "\(series.secondsPerPoint) seconds"
        return svg
            + "<p>One point per \(per): the writes sent in it, per second, and the most rows in flight during it.</p>\n"
    }

    /// The scales that fit every point and the rate limit, with round tick steps.
    static func scale(_ points: [LoadSeries.Point], limit: Double?) -> Scale {
        let seconds = Double(max(1, points.map(\.second).max() ?? 1))
        let writes = max(points.map(\.writesPerSecond).max() ?? 0, limit ?? 0, 1)
        let rows = Double(max(points.map(\.rowsInFlight).max() ?? 0, 1))
        let writesStep = niceStep(writes * 1.1 / 5)
        let rowsStep = max(1, niceStep(rows * 1.1 / 5).rounded(.up))
        return Scale(
            seconds: seconds, writesTop: (writes * 1.1 / writesStep).rounded(.up) * writesStep, writesStep: writesStep,
            rowsTop: (rows * 1.1 / rowsStep).rounded(.up) * rowsStep, rowsStep: rowsStep)
    }

    /// 1, 2 or 5 times a power of ten, the smallest at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        for factor in [1.0, 2, 5, 10] where magnitude * factor >= raw { return magnitude * factor }
        return magnitude * 10
    }

    /// The axes with their ticks, grid lines and labels.
    private static func axes(_ scale: Scale) -> String {
        let (x0, x1, yBottom) = (number(left), number(width - right), number(height - bottom))
        var svg = "<g id=\"axes\" font-size=\"12\" fill=\"#5a6272\">\n"
        var value = 0.0
        while value <= scale.writesTop + scale.writesStep / 2 {
            let y = number(scale.y(value, top: scale.writesTop))
            svg += "<line x1=\"\(x0)\" y1=\"\(y)\" x2=\"\(x1)\" y2=\"\(y)\" stroke=\"#eceef2\"/>"
            svg +=
                "<text x=\"\(number(left - 8))\" y=\"\(y)\" text-anchor=\"end\" dy=\"4\">\(tickLabel(value, step: scale.writesStep))</text>\n"
            value += scale.writesStep
        }
        value = 0
        while value <= scale.rowsTop + scale.rowsStep / 2 {
            let y = number(scale.y(value, top: scale.rowsTop))
            svg +=
                "<text x=\"\(number(width - right + 8))\" y=\"\(y)\" dy=\"4\">\(ReportText.grouped(Int(value)))</text>\n"
            value += scale.rowsStep
        }
        let step = max(1, Int(niceStep(scale.seconds / 8)))
        for second in stride(from: 0, through: Int(scale.seconds), by: step) {
            let x = number(scale.x(Double(second)))
            svg +=
                "<line x1=\"\(x)\" y1=\"\(yBottom)\" x2=\"\(x)\" y2=\"\(number(height - bottom + 5))\" stroke=\"#5a6272\"/>"
            svg +=
                "<text x=\"\(x)\" y=\"\(number(height - bottom + 20))\" text-anchor=\"middle\">\(timeLabel(second))</text>\n"
        }
        svg += "<line x1=\"\(x0)\" y1=\"\(yBottom)\" x2=\"\(x1)\" y2=\"\(yBottom)\" stroke=\"#5a6272\"/>\n"
        svg +=
            "<text x=\"\(number(width / 2))\" y=\"\(number(height - bottom + 40))\" text-anchor=\"middle\">time since the run started</text>\n"
        svg +=
            "<text transform=\"translate(16 \(number((height - bottom + top) / 2))) rotate(-90)\" text-anchor=\"middle\">writes per second</text>\n"
        svg +=
            "<text transform=\"translate(\(number(width - 12)) \(number((height - bottom + top) / 2))) rotate(90)\" text-anchor=\"middle\">rows in flight</text>\n"
        return svg + "</g>\n"
    }

    private static func line(
        id: String, title: String, colour: String, points: [(Double, Double)], scale: Scale
    ) -> String {
        let coordinates = points.map { "\(number(scale.x($0.0))),\(number($0.1))" }.joined(separator: " ")
        return "<polyline id=\"\(id)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" "
            + "stroke-linejoin=\"round\" points=\"\(coordinates)\"><title>\(title)</title></polyline>\n"
    }

    private static func legend(limit: Double?) -> String {
        var entries = [("Writes per second", writesColour, ""), ("Rows in flight", rowsColour, "")]
        if let limit {
            entries.append(("Rate limit (\(ReportText.rate(limit))/s)", limitColour, " stroke-dasharray=\"6 4\""))
        }
        var svg = "<g id=\"legend\" font-size=\"13\" fill=\"#1d2330\">\n"
        var x = left
        let y = height - 22
        for (label, colour, dash) in entries {
            svg += "<line x1=\"\(number(x))\" y1=\"\(number(y))\" x2=\"\(number(x + 28))\" y2=\"\(number(y))\" "
            svg += "stroke=\"\(colour)\" stroke-width=\"3\"\(dash)/>"
            svg += "<text x=\"\(number(x + 36))\" y=\"\(number(y + 4))\">\(HTMLText.escape(label))</text>\n"
            x += 60 + Double(label.count) * 7
        }
        return svg + "</g>\n"
    }

    /// A writes-per-second tick: whole numbers when the step is, else one decimal.
    static func tickLabel(_ value: Double, step: Double) -> String {
        step >= 1 ? ReportText.grouped(Int(value.rounded())) : ReportText.fixed(value, places: 1)
    }

    /// `45s`, `3m 05s`, `2h 10m`: a tick's time.
    static func timeLabel(_ seconds: Int) -> String {
        let (hours, minutes, secs) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        if hours > 0 { return "\(hours)h \(minutes < 10 ? "0" : "")\(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(secs < 10 ? "0" : "")\(secs)s" }
        return "\(secs)s"
    }

    /// A coordinate with one decimal.
    private static func number(_ value: Double) -> String { ReportText.fixed(value, places: 1) }
}
