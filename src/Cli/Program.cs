using System.CommandLine;
using AutoCompress.Cli;

var root = new RootCommand("AutoCompress: find compressed neural networks that fit a device.");
root.Subcommands.Add(TrainReferenceCommand.Create());
return await root.Parse(args).InvokeAsync();
