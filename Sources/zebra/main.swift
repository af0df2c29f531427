import Foundation
import ZebraCommands

exit(Zebra.main(Array(CommandLine.arguments.dropFirst())))
