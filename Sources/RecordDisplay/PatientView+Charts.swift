import Plotting

extension PatientView {
    /// One inline SVG chart per recorded measure (values over age, reference bounds dashed), for
    /// pages that show a patient beside other text (teaching cases).
    package func chartSVGs() -> [String] {
        series.map { SVGFormat.inlined(Self.chart($0).svg()) }
    }
}
