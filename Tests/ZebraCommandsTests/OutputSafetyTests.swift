import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// A user's files are sacred: regression tests for issue 8's data-loss items.
@Suite struct OutputSafetyTests {
    func run(_ arguments: [String]) -> (code: Int32, err: String) {
        let console = Console(capturing: true)
        let code = Zebra.main(arguments, console: console)
        return (code, console.errorOutput)
    }

    func simulate(_ out: String, _ extra: [String] = []) -> (code: Int32, err: String) {
        run(["simulate", "--patients", "5", "--template-only", "--out", out, "--templates", TestSupport.modelsDirectory]
            + extra)
    }

    @Test func overwriteRefusesAFolderZebraDidNotWrite() throws {
        let folder = try TestSupport.temporaryDirectory() + "/documents"
        try writeFileAtomically(Array("thesis".utf8), to: folder + "/thesis.txt")
        let (code, err) = simulate(folder, ["--overwrite"])
        #expect(code == 1)
        #expect(err.contains("was not written by Zebra"), "\(err)")
        #expect(try String(contentsOfFile: folder + "/thesis.txt", encoding: .utf8) == "thesis")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["thesis.txt"])
    }

    @Test func overwriteRefusesAZebraFolderHoldingAUserFile() throws {
        let folder = try TestSupport.temporaryDirectory() + "/cohort"
        #expect(simulate(folder).code == 0)
        try writeFileAtomically(Array("notes".utf8), to: folder + "/my-notes.txt")
        let (code, err) = simulate(folder, ["--overwrite"])
        #expect(code == 1)
        #expect(err.contains("1 item Zebra did not write (my-notes.txt)"), "\(err)")
        #expect(FileManager.default.fileExists(atPath: folder + "/my-notes.txt"))
    }

    @Test func overwriteReplacesAFolderZebraWrote() throws {
        let folder = try TestSupport.temporaryDirectory() + "/cohort"
        #expect(simulate(folder).code == 0)
        let marker = try String(contentsOfFile: folder + "/zebra-run.txt", encoding: .utf8)
        #expect(marker.hasPrefix("generator: zebra simulate"))
        #expect(marker.contains("file: Patient.ndjson\n"))
        let (code, err) = simulate(folder, ["--overwrite", "--seed", "2"])
        #expect(code == 0, "\(err)")
        #expect(try String(contentsOfFile: folder + "/zebra-run.txt", encoding: .utf8).contains("seed: 2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: (folder as NSString).deletingLastPathComponent)
            == ["cohort"])
    }

    @Test func theCurrentFolderAndItsAncestorsAreNeverReplaced() {
        let current = FileManager.default.currentDirectoryPath
        #expect(OutputPaths.isCurrentFolderOrAncestor(current))
        #expect(OutputPaths.isCurrentFolderOrAncestor("."))
        #expect(OutputPaths.isCurrentFolderOrAncestor((current as NSString).deletingLastPathComponent))
        #expect(!OutputPaths.isCurrentFolderOrAncestor(current + "/zebra-output-that-does-not-exist"))
    }

    @Test(arguments: [("x", "x"), ("./x", "x"), ("a/b.json", "b.json"), ("/b", "b"), ("a/", "a"), (".", ".")])
    func pathComponentsOfShortPaths(path: String, last: String) {
        #expect(OutputPaths.lastComponent(path) == last)
    }

    @Test func foldersAndExtensionsOfShortPaths() {
        #expect(OutputPaths.folder(of: "x") == "")
        #expect(OutputPaths.folder(of: "/x") == "/")
        #expect(OutputPaths.folder(of: "a/b/c") == "a/b")
        #expect(OutputPaths.fileExtension("a.NDJSON") == "NDJSON")
        #expect(OutputPaths.fileExtension(".hidden") == "")
        #expect(OutputPaths.baseName("DiseaseModels/fabry.json") == "fabry")
        #expect(OutputPaths.standardized("x").hasSuffix("/x"))
        #expect(OutputPaths.standardized("x").hasPrefix("/"))
    }

    @Test func staleStagingFoldersOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let root = try TestSupport.temporaryDirectory()
        let dead = try deadProcessID()
        let stale = root + "/.cohort.partial-\(dead)"
        let staleFile = root + "/model.bin.partial-\(dead)"
        let live = root + "/.cohort.partial-1"  // init runs as long as the machine does
        let unrelated = root + "/.cohort.partial-notes"
        for folder in [stale, live, unrelated] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try writeFileAtomically([1, 2, 3], to: staleFile)
        let staged = try StagedDirectory(path: root + "/cohort", replaceExisting: false)
        staged.discard()
        try writeFileAtomically([4], to: root + "/model.bin")
        let left = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(left == [".cohort.partial-1", ".cohort.partial-notes", "model.bin"])
    }

    @Test func stagingFoldersAreRegisteredForTerminationCleanup() throws {
        let staged = try StagedDirectory(path: try TestSupport.temporaryDirectory() + "/cohort", replaceExisting: false)
        #expect(TerminationCleanup.shared.registered.contains(staged.stagingPath))
        try staged.commit()
        #expect(!TerminationCleanup.shared.registered.contains(staged.stagingPath))
    }

    /// The id of a process that has just ended.
    func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}

/// The built `zebra` run as a user would, in its own working folder.
@Suite struct ZebraProcessTests {
    /// `zebra` beside the test bundle (swift test builds every product into one folder).
    static var executable: String? {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for _ in 0..<4 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("zebra").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    func launch(_ arguments: [String], in folder: String) throws -> Process {
        let zebra = try #require(Self.executable, "the zebra executable was not built beside the tests")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zebra)
        process.arguments = arguments + ["--templates", TestSupport.modelsDirectory]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(arguments: ["x", "."])
    func oneCharacterOutputPathsWork(path: String) throws {
        let folder = try TestSupport.temporaryDirectory()
        let target = path == "." ? folder + "/sub" : folder
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let process = try launch(["simulate", "--patients", "3", "--template-only", "--out", path], in: target)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let written = path == "." ? target : target + "/x"
        #expect(FileManager.default.fileExists(atPath: written + "/Patient.ndjson"))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aStoppedRunLeavesNoPartialOutput(signal: Int32) throws {
        let folder = try TestSupport.temporaryDirectory()
        let process = try launch(["simulate", "--patients", "5000000", "--template-only", "--out", "big"], in: folder)
        var sawStaging = false
        for _ in 0..<200 where !sawStaging {
            usleep(50_000)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            sawStaging = names.contains { $0.hasPrefix(".big.partial-") }
        }
        #expect(sawStaging)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    }
}
