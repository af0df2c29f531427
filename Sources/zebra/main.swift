import Foundation
import Serialization
import ZebraCommands

// A stopped run (Ctrl-C, or SIGTERM from a scheduler or time limit) leaves no half-written output.
TerminationCleanup.shared.installSignalHandlers { signal in
    FileHandle.standardError.write(Data("\nzebra: stopped by signal \(signal); removing partial output\n".utf8))
}
exit(Zebra.main(Array(CommandLine.arguments.dropFirst())))
