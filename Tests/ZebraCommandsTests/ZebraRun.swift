import ZebraTestSupport
@testable import ZebraCommands

/// Runs `zebra` with `arguments` (and the repository's templates, for every command that reads
/// them), capturing what it prints.
func zebra(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
    let console = Console(capturing: true)
    let templates = arguments.first == "merge" ? [] : ["--templates", TestSupport.modelsDirectory]
    let code = Zebra.main(arguments + templates, console: console)
    return (code, console.captured ?? "", console.errorOutput)
}
