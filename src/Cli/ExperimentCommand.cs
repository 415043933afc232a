using System.CommandLine;
using System.Globalization;
using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Orchestrator.Workers;
using AutoCompress.Plugins;
using AutoCompress.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Cli;

/// <summary>
/// `autocompress experiment run SPEC` runs a search locally against the embedded SQLite store until it ends;
/// `autocompress experiment resume` continues every unfinished experiment of a store (after Ctrl-C, a crash or
/// kill -9); `autocompress experiment list` shows what a store holds.
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var cmd = new Command("experiment", "Run, resume and list searches stored in an experiment database");
        cmd.Subcommands.Add(Run());
        cmd.Subcommands.Add(Resume());
        cmd.Subcommands.Add(List());
        return cmd;
    }

    private static Option<string> Db() => new("--db") { Description = "The experiment database (SQLite)", DefaultValueFactory = _ => "runs/experiments.db" };

    private static Option<string[]> Plugins() => new("--plugins")
    {
        Description = "A plugin directory (sub-folders with a plugin.json each); repeat for several. Default: the built-in plugins",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static Option<int> Slots() => new("--slots") { Description = "Worker processes (trials of isolated evaluators at once)", DefaultValueFactory = _ => 2 };

    private static Command Run()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The experiment spec (JSON)" };
        var db = Db();
        var plugins = Plugins();
        var slots = Slots();
        var cmd = new Command("run", "Create an experiment from a spec and run it to the end") { spec, db, plugins, slots };
        cmd.SetAction((parse, cancel) => Execute(parse.GetValue(db)!, parse.GetValue(plugins), parse.GetValue(slots), async service =>
        {
            var file = parse.GetValue(spec)!;
            if (!file.Exists) throw new ExperimentSpecException($"spec file {file.FullName} does not exist");
            var id = await service.CreateAsync(await File.ReadAllTextAsync(file.FullName, cancel), cancel);
            Console.WriteLine($"experiment {id} created in {Path.GetFullPath(parse.GetValue(db)!)}");
            return [id];
        }, cancel));
        return cmd;
    }

    private static Command Resume()
    {
        var db = Db();
        var plugins = Plugins();
        var slots = Slots();
        var cmd = new Command("resume", "Continue every unfinished experiment in the database") { db, plugins, slots };
        cmd.SetAction((parse, cancel) => Execute(parse.GetValue(db)!, parse.GetValue(plugins), parse.GetValue(slots), async service =>
        {
            var running = await service.Store.ListExperimentsAsync(ExperimentStatus.Running, cancel);
            Console.WriteLine(running.Count == 0 ? "nothing to resume" : $"resuming {running.Count} experiment(s)");
            return [.. running.Select(e => e.Id)];
        }, cancel));
        return cmd;
    }

    private static Command List()
    {
        var db = Db();
        var cmd = new Command("list", "List the experiments in the database") { db };
        cmd.SetAction(async (parse, cancel) =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"error: {Path.GetFullPath(path)} does not exist");
                return 1;
            }
            await using var store = await ExperimentStore.OpenAsync(path, cancellationToken: cancel);
            foreach (var e in await store.ListExperimentsAsync(cancellationToken: cancel))
            {
                var progress = await ExperimentService.ReadProgressAsync(store, e.Id);
                Console.WriteLine(Line(progress!));
            }
            return 0;
        });
        return cmd;
    }

    private static async Task<int> Execute(string db, string[]? pluginDirs, int slots, Func<ExperimentService, Task<Guid[]>> start, CancellationToken cancel)
    {
        var dirs = pluginDirs is { Length: > 0 } ? pluginDirs : [CompressCommand.DefaultPluginDirectory()];
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(db))!);
            using var host = new PluginHost(new PluginHostOptions { Directories = dirs }, NullLogger<PluginHost>.Instance);
            host.LoadAll();
            var evaluators = new EvaluatorCatalog(host);
            // A live table on a terminal (log lines shown inside it), plain progress lines otherwise.
            var display = ProgressDisplay.Create();
            // Traces and metrics over OTLP when the OTEL_* variables ask for it (disposed, so flushed, at the end).
            using var traces = AutoCompress.Orchestrator.Observability.TelemetryProviders.Traces("autocompress");
            using var meters = AutoCompress.Orchestrator.Observability.TelemetryProviders.Metrics("autocompress");
            ExperimentProgress[] final;
            await using (display)
            {
                await using var service = await ExperimentService.StartAsync(new ExperimentServiceOptions
                {
                    DatabasePath = db,
                    WorkRoot = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(db))!, "work"),
                    Workers = new WorkerPoolOptions { Slots = slots, Worker = WorkerStartInfo.Default(), PluginDirectories = dirs },
                    EvaluatorKnown = id => evaluators.TryGet(id, out _),
                    Strategies = AutoCompress.Search.Agents.AgentStrategies.Catalog(),
                    LoggerFactory = new TextWriterLoggerFactory(display.Log,
                        Environment.GetEnvironmentVariable("AUTOCOMPRESS_LOG") == "debug" ? Microsoft.Extensions.Logging.LogLevel.Debug : Microsoft.Extensions.Logging.LogLevel.Information),
                }, cancel);
                var ids = await start(service);
                final = await LocalProgress.WatchAsync(service, ids, display, cancel);
                await display.DisposeAsync();
                foreach (var progress in final)
                {
                    // Plain output has just printed the final line; after the live table, one plain line sums it up.
                    if (display is LiveProgressDisplay) Console.WriteLine(Line(progress));
                    await PrintBest(service.Store, progress);
                    await PrintFront(service.Store, progress.ExperimentId);
                }
            }
            return final.All(p => p.Status == ExperimentStatus.Completed) ? 0 : 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"interrupted; continue with: autocompress experiment resume --db {db}");
            return 130;
        }
        catch (Exception e) when (e is ExperimentSpecException or StoreException or SchemaVersionException or FileNotFoundException or IOException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}");
            return 2;
        }
    }

    private static string Line(ExperimentProgress p) => ProgressDisplay.Line(p);

    // Cost metrics worth a column beside the objectives when the trials report them.
    private static readonly string[] CostColumns = ["test_accuracy", "macs", "parameters", "weight_bytes", "latency_ms"];

    /// <summary>The Pareto front with each member's objectives, main costs and the folder its model files were written to.</summary>
    private static async Task PrintFront(ExperimentStore store, Guid experimentId)
    {
        var front = await ExperimentFront.ReadAsync(store, experimentId);
        if (front is null || front.Front.Count == 0) return;
        var objectives = front.Spec.Objectives.Select(o => o.Metric).ToList();
        var columns = objectives.Concat(CostColumns.Where(c => !objectives.Contains(c) && front.Front.Any(t => t.Metrics!.ContainsKey(c)))).ToList();
        var table = new TextTable(["TRIAL", .. columns.Select(c => c.ToUpperInvariant()), "MODEL"]);
        foreach (var t in front.Front)
        {
            var artifacts = await store.GetArtifactsAsync(t.Id);
            var model = artifacts.Select(a => a.Info.Path).FirstOrDefault(p => p.EndsWith(".safetensors", StringComparison.Ordinal))
                        ?? artifacts.Select(a => a.Info.Path).FirstOrDefault() ?? "-";
            table.Add([t.Seq.ToString(CultureInfo.InvariantCulture),
                .. columns.Select(c => t.Metrics!.TryGetValue(c, out var v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "-"), model]);
        }
        var hv = front.Hypervolume is { } h && front.Spec.Objectives.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $", hypervolume {h:G6}") : "";
        Console.WriteLine();
        Console.WriteLine($"Pareto front: {front.Front.Count} of {front.Evaluated} evaluated trials ({string.Join(", ", front.Spec.Objectives.Select(o => $"{o.Metric} {o.Direction.ToString().ToLowerInvariant()}"))}){hv}");
        Console.Write(table.ToString());
        Console.WriteLine("MODEL: the trial's weights (safetensors); its model description is the .json beside it");
    }

    private static async Task PrintBest(ExperimentStore store, ExperimentProgress progress)
    {
        if (progress.BestTrialSeq is not { } seq) return;
        var trials = await store.QueryTrialsAsync(progress.ExperimentId, new TrialQuery { AfterSeq = seq - 1, Limit = 1 });
        if (trials is not [var best]) return;
        Console.WriteLine($"best trial {best.Seq}: {best.ConfigJson}");
        Console.WriteLine("  " + string.Join(", ", best.Metrics!.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:G6}"))));
    }
}
