using System.CommandLine;
using AutoCompress.Cli;

var root = new RootCommand("AutoCompress: find compressed neural networks that fit a device.");
root.Subcommands.Add(TrainReferenceCommand.Create());
root.Subcommands.Add(CompressCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(ExperimentCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(AutoCompress.Cli.Remote.RemoteCommand.Create());
root.Subcommands.Add(PluginsCommand.Create());
return await root.Parse(args).InvokeAsync();
