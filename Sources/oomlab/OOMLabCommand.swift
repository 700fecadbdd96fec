internal import ArgumentParser

/// The `oomlab` command: simulate the Linux page allocator and OOM killer; explain kernel logs.
@main
struct OOMLabCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "oomlab",
    abstract: "Reproduce the Linux page allocator and OOM killer; explain kernel memory failures.",
    version: "0.1.0",
    subcommands: [
      RunCommand.self, GFPCommand.self, InspectCommand.self, WatchCommand.self, ExplainCommand.self,
    ],
    defaultSubcommand: RunCommand.self)
}
