import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// `zebra show` on FHIR files: a named patient, a seeded sample, HTML to a new file, clear errors.
@Suite struct ShowCommandTests {
    @Test func showsANamedPatientASampleAndAPage() throws {
        let folder = try TestSupport.temporaryDirectory() + "/fabry"
        let made = zebra(["simulate", "--disease", "fabry", "--template-only", "--patients", "30", "--seed", "4",
                        "--out", folder])
        try #require(made.code == 0, "\(made.err)")
        let patients = String(decoding: try readFileBytes(folder + "/Patient.ndjson"), as: UTF8.self)
        let line = try #require(patients.split(separator: "\n").first)
        let id = try #require(line.range(of: "\"id\":\"").map { String(line[$0.upperBound...].prefix(36)) })
        let one = zebra(["show", "--records", folder, "--patient", id])
        #expect(one.code == 0, "\(one.err)")
        #expect(one.out.hasPrefix("Patient \(id)\n"), "\(one.out.prefix(200))")
        #expect(one.out.contains("diagnosis: Fabry disease"))
        #expect(one.err.contains("disease: fabry (inferred"))

        let sample = zebra(["show", "--records", folder, "--sample", "3", "--seed", "9"])
        #expect(sample.code == 0)
        #expect(sample.out.components(separatedBy: "\nPatient ").count + (sample.out.hasPrefix("Patient ") ? 0 : -1)
            == 3)
        #expect(zebra(["show", "--records", folder, "--sample", "3", "--seed", "9"]).out == sample.out)
        #expect(zebra(["show", "--records", folder, "--sample", "3", "--seed", "10"]).out != sample.out)

        let page = folder + "-patient.html"
        let html = zebra(["show", "--records", folder, "--patient", id, "--format", "html", "--out", page])
        #expect(html.code == 0, "\(html.err)")
        let written = String(decoding: try readFileBytes(page), as: UTF8.self)
        #expect(written.hasPrefix("<!DOCTYPE html>") && written.contains("<svg"))
        let again = zebra(["show", "--records", folder, "--patient", id, "--format", "html", "--out", page])
        #expect(again.code != 0 && again.err.contains("exists"))
        #expect(try readFileBytes(page) == Array(written.utf8), "an existing file is never replaced")
    }

    @Test func anUnknownPatientIsAClearError() throws {
        let folder = try TestSupport.temporaryDirectory() + "/gaucher"
        try #require(zebra(["simulate", "--disease", "gaucher", "--template-only", "--patients", "5", "--out", folder])
            .code == 0)
        let (code, _, err) = zebra(["show", "--records", folder, "--patient", "no-such-patient"])
        #expect(code == 1)
        #expect(err.contains("no patient \"no-such-patient\" in \(folder) (5 patients)"), "\(err)")
        let badFormat = zebra(["show", "--records", folder, "--format", "pdf"])
        #expect(badFormat.code != 0 && badFormat.err.contains("pdf"))
    }
}
