import Foundation
import Testing
import ZebraTestSupport
@testable import Serialization

@Suite struct StagedDirectoryTests {
    @Test func commitsOnlyWhenComplete() throws {
        let root = try TestSupport.temporaryDirectory()
        let target = root + "/cohort"
        let staged = try StagedDirectory(path: target, replaceExisting: false)
        try writeFileAtomically(Array("x".utf8), to: staged.path(of: "a.txt"))
        #expect(!FileManager.default.fileExists(atPath: target))
        try staged.commit()
        #expect(try String(contentsOfFile: target + "/a.txt", encoding: .utf8) == "x")
        #expect(try String(contentsOfFile: target + "/zebra-run.txt", encoding: .utf8)
            == "generator: zebra\nfile: a.txt\n")
        #expect(!FileManager.default.fileExists(atPath: staged.stagingPath))
    }

    @Test func refusesToMixIntoAnExistingFolder() throws {
        let root = try TestSupport.temporaryDirectory()
        try writeFileAtomically(Array("old".utf8), to: root + "/cohort/old.txt")
        #expect(throws: OutputError.self) { try StagedDirectory(path: root + "/cohort", replaceExisting: false) }
        do {
            _ = try StagedDirectory(path: root + "/cohort", replaceExisting: false)
        } catch {
            #expect(error.message.contains("already exists"))
            #expect(error.message.contains("--overwrite"))
        }
    }

    @Test func replacesAFolderItWroteWithoutMixing() throws {
        let root = try TestSupport.temporaryDirectory()
        let first = try StagedDirectory(path: root + "/cohort", replaceExisting: false)
        try writeFileAtomically(Array("old".utf8), to: first.path(of: "old.txt"))
        try first.commit()
        let staged = try StagedDirectory(path: root + "/cohort", replaceExisting: true)
        try writeFileAtomically(Array("new".utf8), to: staged.path(of: "new.txt"))
        try staged.commit()
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/cohort").sorted()
        #expect(names == ["new.txt", "zebra-run.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["cohort"])
    }

    @Test func aFileTheUserAddsDuringTheRunIsNeverDeleted() throws {
        let root = try TestSupport.temporaryDirectory()
        let first = try StagedDirectory(path: root + "/cohort", replaceExisting: false)
        try writeFileAtomically(Array("old".utf8), to: first.path(of: "old.txt"))
        try first.commit()
        let second = try StagedDirectory(path: root + "/cohort", replaceExisting: true)
        try writeFileAtomically(Array("notes".utf8), to: root + "/cohort/notes.txt")
        #expect(throws: OutputError.self) { try second.commit() }
        #expect(try String(contentsOfFile: root + "/cohort/notes.txt", encoding: .utf8) == "notes")
        second.discard()
    }

    @Test func neverReplacesAFolderItDidNotWrite() throws {
        let root = try TestSupport.temporaryDirectory()
        try writeFileAtomically(Array("old".utf8), to: root + "/cohort/old.txt")
        #expect(throws: OutputError.self) { try StagedDirectory(path: root + "/cohort", replaceExisting: true) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/cohort") == ["old.txt"])
    }

    @Test func discardLeavesNothingBehind() throws {
        let root = try TestSupport.temporaryDirectory()
        let staged = try StagedDirectory(path: root + "/cohort", replaceExisting: false)
        try writeFileAtomically(Array("x".utf8), to: staged.path(of: "half.ndjson"))
        staged.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test func readingAMissingFileNamesIt() {
        do {
            _ = try readFileBytes("/nonexistent/zebra.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("/nonexistent/zebra.json"))
        }
    }
}
