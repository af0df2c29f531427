import Foundation
import ZebraSupport

/// Appends SVG elements to a string; every number passes through `SVGFormat` and every text
/// through `SVGFormat.escape`, so output is deterministic and well formed.
struct SVGBuilder {
    /// Stands in for the clip-path id until the body is complete and can be hashed.
    static let clipToken = "@CLIP@"

    private(set) var body = ""
    let width: Double
    let height: Double

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func raw(_ s: String) {
        body += s
        body += "\n"
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        opacity: Double? = nil, stroke: String? = nil
    ) {
        var s = "<rect x=\"\(p(x))\" y=\"\(p(y))\" width=\"\(p(Swift.max(0, width)))\" "
            + "height=\"\(p(Swift.max(0, height)))\" fill=\"\(fill)\""
        if let opacity { s += " fill-opacity=\"\(SVGFormat.fixed(opacity, decimals: 2))\"" }
        if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"1\"" }
        raw(s + "/>")
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
        width: Double = 1, dashed: Bool = false
    ) {
        var s = "<line x1=\"\(p(x1))\" y1=\"\(p(y1))\" x2=\"\(p(x2))\" y2=\"\(p(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(p(width))\""
        if dashed { s += " stroke-dasharray=\"5 4\"" }
        raw(s + "/>")
    }

    /// A polyline through `points`; a nil point breaks the line so gaps stay visible.
    mutating func polyline(_ points: [(Double, Double)?], stroke: String, width: Double = 2, dashed: Bool = false) {
        let d = Self.pathData(points)
        if d.isEmpty { return }
        var s = "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(p(width))\" "
            + "stroke-linejoin=\"round\" stroke-linecap=\"round\""
        if dashed { s += " stroke-dasharray=\"6 4\"" }
        raw(s + "/>")
    }

    /// A filled closed polygon (used for bands); skipped when it has fewer than three corners.
    mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double) {
        guard points.count >= 3 else { return }
        let d = Self.pathData(points.map { Optional($0) }) + " Z"
        raw("<path d=\"\(d)\" fill=\"\(fill)\" "
            + "fill-opacity=\"\(SVGFormat.fixed(opacity, decimals: 2))\" stroke=\"none\"/>")
    }

    mutating func circle(
        cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil, opacity: Double? = nil
    ) {
        var s = "<circle cx=\"\(p(cx))\" cy=\"\(p(cy))\" r=\"\(p(r))\" fill=\"\(fill)\""
        if let opacity { s += " fill-opacity=\"\(SVGFormat.fixed(opacity, decimals: 2))\"" }
        if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"1.5\"" }
        raw(s + "/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(
        _ content: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
        bold: Bool = false, rotate: Bool = false, fill: String = Palette.axis
    ) {
        var s = "<text x=\"\(p(x))\" y=\"\(p(y))\" font-size=\"\(p(size))\" fill=\"\(fill)\""
        if anchor != .start { s += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { s += " font-weight=\"bold\"" }
        if rotate { s += " transform=\"rotate(-90 \(p(x)) \(p(y)))\"" }
        raw(s + ">" + SVGFormat.escape(content) + "</text>")
    }

    mutating func beginClippedGroup() { raw("<g clip-path=\"url(#\(Self.clipToken))\">") }
    mutating func endGroup() { raw("</g>") }

    /// The complete document. The clip-path id is a hash of the body, so two different charts
    /// inlined in one HTML page do not share an id while each chart stays byte-for-byte stable.
    func document(title: String, clip: PlotFrame?) -> String {
        let id = "clip-" + String(fnv1a64(body), radix: 16)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(p(width))\" "
            + "height=\"\(p(height))\" viewBox=\"0 0 \(p(width)) \(p(height))\" role=\"img\" "
            + "font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<title>\(SVGFormat.escape(title))</title>\n"
        if let clip {
            // A few pixels of slack keep markers on the plot's edge whole.
            let m = 5.0
            out += "<defs><clipPath id=\"\(id)\"><rect x=\"\(p(clip.left - m))\" y=\"\(p(clip.top - m))\" "
                + "width=\"\(p(clip.width + 2 * m))\" height=\"\(p(clip.height + 2 * m))\"/></clipPath></defs>\n"
        }
        out += "<rect x=\"0\" y=\"0\" width=\"\(p(width))\" height=\"\(p(height))\" fill=\"#FFFFFF\"/>\n"
        out += body.replacingOccurrences(of: Self.clipToken, with: id)
        out += "</svg>\n"
        return out
    }

    static func pathData(_ points: [(Double, Double)?]) -> String {
        var d = ""
        var penDown = false
        for point in points {
            guard let (x, y) = point, x.isFinite, y.isFinite else {
                penDown = false
                continue
            }
            if !d.isEmpty { d += " " }
            d += (penDown ? "L" : "M") + p(x) + " " + p(y)
            penDown = true
        }
        return d
    }

    private func p(_ v: Double) -> String { SVGFormat.px(v) }
    private static func p(_ v: Double) -> String { SVGFormat.px(v) }
}
