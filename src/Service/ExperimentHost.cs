using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Orchestrator.Workers;
using AutoCompress.Plugins;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoCompress.Service;

/// <summary>
/// Runs the orchestrator inside the host: starts it (resuming unfinished experiments) when the host starts and stops
/// it when the host stops. Every result and checkpoint is committed as it happens, so stopping only has to cancel the
/// running trials, which the next start runs again.
/// </summary>
internal sealed class ExperimentHost(IOptions<ServiceOptions> options, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private ExperimentService? service;

    public PluginHost Plugins { get; private set; } = null!;

    /// <summary>The running orchestrator (throws before the host has started).</summary>
    public ExperimentService Service => service ?? throw new InvalidOperationException("the experiment service has not started");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var dirs = o.PluginDirectories.Count > 0 ? o.PluginDirectories : [DefaultPluginDirectory()];
        Plugins = new PluginHost(new PluginHostOptions { Directories = dirs }, loggers.CreateLogger<PluginHost>());
        Plugins.LoadAll();
        var evaluators = new EvaluatorCatalog(Plugins);
        var db = Path.GetFullPath(o.Database);
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        service = await ExperimentService.StartAsync(new ExperimentServiceOptions
        {
            DatabasePath = db,
            WorkRoot = o.WorkRoot ?? Path.Combine(Path.GetDirectoryName(db)!, "work"),
            InProcessSlots = o.InProcessSlots,
            Workers = new WorkerPoolOptions { Slots = o.Slots, Worker = WorkerStartInfo.Default(), PluginDirectories = dirs },
            EvaluatorKnown = id => evaluators.TryGet(id, out _),
            Strategies = AutoCompress.Search.Agents.AgentStrategies.Catalog(),
            LoggerFactory = loggers,
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (service is not null) await service.DisposeAsync().ConfigureAwait(false);
        service = null;
    }

    public void Dispose() => Plugins?.Dispose();

    /// <summary>build/plugins/Release above the program (a source checkout), else "plugins" beside it.</summary>
    internal static string DefaultPluginDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "build", "plugins", "Release");
            if (Directory.Exists(candidate)) return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, "plugins");
    }
}
