using System.CommandLine;
using System.Runtime.InteropServices;
using AutoCompress.Orchestrator.Workers;
using AutoCompress.Plugins;

namespace AutoCompress.Cli;

/// <summary>
/// `autocompress worker`: a trial worker process, started by the orchestrator's worker pool (not by users).
/// It loads the plugins, then evaluates trial after trial received over stdin, answering on stdout with the
/// length-prefixed JSON protocol of <see cref="WorkerProtocol"/>; stderr is its log. A crash in an evaluator
/// kills only this process.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var plugins = new Option<string[]>("--plugins")
        {
            Description = "A plugin directory (whose sub-folders hold a plugin.json each); repeat for several",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var cmd = new Command("worker", "Serve trials to the orchestrator over stdin/stdout (started by the worker pool)") { plugins };
        cmd.SetAction((parse, _) => RunAsync(parse.GetValue(plugins) ?? []));
        return cmd;
    }

    private static async Task<int> RunAsync(string[] pluginDirectories)
    {
        // Before anything can write to stdout: the protocol owns it from here on.
        var (input, output) = WorkerStdio.Claim();
        // The orchestrator decides when workers stop: a Ctrl-C meant for it (same process group) must not kill trials.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        var log = Console.Error;
        // Spans of this worker ("evaluate" and the evaluators' phases) join the orchestrator's trace; batches leave
        // every 0.5 s, and the rest when the worker exits. Only when the OTEL_* variables ask for export.
        using var traces = AutoCompress.Orchestrator.Observability.TelemetryProviders.Traces("autocompress-worker", TimeSpan.FromSeconds(0.5));
        using var host = new PluginHost(new PluginHostOptions { Directories = pluginDirectories }, new TextWriterLogger<PluginHost>(log));
        host.LoadAll();
        using var loop = new WorkerLoop(input, output, host, log);
        // Not the command's token: Shutdown or the end of stdin ends the worker, not signals.
        return await loop.RunAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
