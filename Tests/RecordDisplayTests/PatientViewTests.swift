import DiseaseModeling
import Foundation
import Simulation
import Testing
import Timelines
import ZebraTestSupport
@testable import RecordDisplay

/// `zebra show`'s layout: every recorded fact appears once, in date order, with its unit and flag.
@Suite struct PatientViewTests {
    func patients(_ disease: String, _ count: Int, seed: UInt64 = 6) throws
        -> (template: DiseaseTemplate, concepts: TemplateConcepts, timelines: [PatientTimeline]) {
        let template = try TestSupport.shippedTemplate(disease)
        let options = SimulationOptions(seed: seed, endDate: CalendarDay(iso: "2090-01-01"))
        let simulator = CohortSimulator(template: template, options: options)
        return (template, simulator.concepts, (0..<count).map { simulator.patient($0).timeline })
    }

    @Test(arguments: TestSupport.shippedDiseases)
    func everyRecordedValueIsShownOnceInDateOrder(disease: String) throws {
        let (template, concepts, timelines) = try patients(disease, 40)
        try #require(timelines.count == 40)
        for t in timelines {
            let view = PatientView(t, template: template, concepts: concepts)
            let measureValues = t.events.filter { e in e.kind == .quantity && concepts.measures.contains(e.concept) }
            #expect(view.rows.flatMap(\.values).count == measureValues.count)
            #expect(view.series.reduce(0) { $0 + $1.values.count } == measureValues.count)
            #expect(view.rows.map(\.day) == view.rows.map(\.day).sorted())
            #expect(view.visitCount == t.events.filter { $0.kind == .encounter }.count)
            #expect(view.rows.filter { $0.entry == .death }.count == (t.death == nil ? 0 : 1))
            if t.death != nil, template.mortality.causes.isEmpty == false {
                #expect(view.causeOfDeath != nil)
            }
        }
    }

    @Test func valuesCarryUnitsFlagsAndRanges() throws {
        let (template, _, _) = try patients("fabry", 1)
        let egfr = try #require(template.measureIndex("egfr"))
        let measure = template.measures[egfr]
        let low = PatientView.shown(62, measure: measure, sex: .male, age: 40)
        #expect(low.flag == "L" && low.range == "≥ 90" && low.unit == "mL/min/1.73 m²" && low.text == "62")
        #expect(PatientView.shown(104, measure: measure, sex: .female, age: 40).flag.isEmpty)
        let lvmi = template.measures[try #require(template.measureIndex("lvmi"))]
        #expect(PatientView.shown(48.5, measure: lvmi, sex: .female, age: 40).flag == "H")  // women's bound is 47
        #expect(PatientView.shown(48.5, measure: lvmi, sex: .male, age: 40).flag.isEmpty)   // men's is 50
        let fa = try TestSupport.shippedTemplate("friedreich-ataxia")
        let mfars = PatientView.shown(41.5, measure: fa.measures[0], sex: .male, age: 40)
        #expect(mfars.range == "scale 0–93" && mfars.unit.isEmpty && mfars.flag.isEmpty)
        // A child is flagged against the children's band, or not at all where only an adult cut-off exists.
        let upcr = template.measures[try #require(template.measureIndex("upcr"))]
        #expect(PatientView.shown(0.18, measure: upcr, sex: .male, age: 10).flag.isEmpty)
        #expect(PatientView.shown(0.18, measure: upcr, sex: .male, age: 30).flag == "H")
        let child = PatientView.shown(60, measure: lvmi, sex: .male, age: 12)
        #expect(child.flag.isEmpty && child.range.isEmpty)
    }

    @Test func textAndHTMLShowTheSameFacts() throws {
        let (template, concepts, timelines) = try patients("gaucher", 60)
        let t = try #require(timelines.first { $0.death != nil && $0.events.contains { $0.kind == .medicationStart } })
        let view = PatientView(t, template: template, concepts: concepts)
        let text = view.text(), html = view.html()
        #expect(text.hasPrefix("Patient \(t.id)\n"))
        #expect(text.contains("born \(t.birth.iso)") && text.contains("died \(t.death!.iso)"))
        #expect(text.contains("started imiglucerase"))
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("started imiglucerase"))
        #expect(html.components(separatedBy: "<svg").count - 1 == view.series.count)
        let shownInText = view.rows.flatMap(\.values).filter { text.contains($0.name) }.count
        #expect(shownInText == view.rows.flatMap(\.values).count)
        #expect(!html.contains("<?xml"))
    }

    /// A measure its template marks `plotScale: log` is charted on a log axis, titled in words with its
    /// unit and "log scale"; a linear measure keeps evenly spaced ticks.
    @Test func skewedMeasuresAreChartedOnALogAxis() throws {
        let (template, concepts, timelines) = try patients("fabry", 20)
        let lyso = template.measures[try #require(template.measureIndex("lyso-gb3"))]
        let egfr = template.measures[try #require(template.measureIndex("egfr"))]
        func series(_ m: MeasureDefinition) -> PatientView.Series {
            PatientView.Series(name: m.concept.text, unit: DisplayUnit.text(m.concept.unit), axis: MeasureAxis(m),
                               ages: [30, 31, 32, 33], values: [1.5, 12, 40, 150])
        }
        let log = PatientView.chart(series(lyso))
        #expect(log.yLabel == "Lyso-Gb3, serum (ng/mL, log scale)")
        #expect(Self.yTickLabels(log.svg()) == ["1", "2", "5", "10", "20", "50", "100", "200"])
        let linear = PatientView.chart(series(egfr))
        #expect(linear.yLabel == "eGFR (CKD-EPI 2021), mL/min/1.73 m²")
        #expect(Self.yTickLabels(linear.svg()) == ["0", "20", "40", "60", "80", "100", "120", "140", "160"])
        // A patient's page: lyso-Gb3 and urine protein/creatinine on log axes, eGFR and LVMI linear.
        let lysoConcept = concepts.measures[try #require(template.measureIndex("lyso-gb3"))]
        let t = try #require(timelines.first { t in t.events.contains { $0.concept == lysoConcept } })
        let view = PatientView(t, template: template, concepts: concepts)
        let logCharts = view.series.filter { PatientView.chart($0).yLabel.hasSuffix("log scale)") }.map(\.name)
        #expect(logCharts.contains(lyso.concept.text) && !logCharts.contains(egfr.concept.text))
        #expect(Set(logCharts).isSubset(of: ["Lyso-Gb3, serum", "Protein/Creatinine [Mass Ratio] in Urine"]))
        #expect(view.html().contains("log scale"))
    }

    @Test func axisTitlesAreWordsWithUnits() {
        #expect(MeasureAxis(name: "mFARS total score", unit: "", plotScale: .linear).title == "mFARS total score")
        #expect(MeasureAxis(name: "Chitotriosidase activity", unit: "nmol/h/mL", plotScale: .log).title
            == "Chitotriosidase activity (nmol/h/mL, log scale)")
        #expect(MeasureAxis(name: "Score", unit: "", plotScale: .log).title == "Score (log scale)")
    }

    /// The y-axis tick labels of a chart: 11 px text anchored at its end, left of the plot.
    static func yTickLabels(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text ").dropFirst().compactMap { chunk -> String? in
            guard chunk.contains("font-size=\"11.00\""), chunk.contains("text-anchor=\"end\""),
                  let open = chunk.firstIndex(of: ">"), let close = chunk.range(of: "</text>") else { return nil }
            return String(chunk[chunk.index(after: open)..<close.lowerBound])
        }
    }

    @Test func unitsReadAsWords() {
        #expect(DisplayUnit.text("10*9/L") == "×10⁹/L")
        #expect(DisplayUnit.text("{MN}") == "× normal")
        #expect(DisplayUnit.text("g/m2.7") == "g/m^2.7")
        #expect(DisplayUnit.text("g/dL") == "g/dL")
        #expect(DisplayNumber.range(low: 150, high: 400) == "150–400")
        #expect(DisplayNumber.range(low: nil, high: 0.15) == "≤ 0.15")
    }
}
