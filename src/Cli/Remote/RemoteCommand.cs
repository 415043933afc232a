using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AutoCompress.Cli.Remote;

/// <summary>
/// `autocompress remote ...`: the client of a running `autocompress serve`. Every subcommand takes --server (default
/// http://127.0.0.1:5080, or AUTOCOMPRESS_SERVER) and --token (or AUTOCOMPRESS_TOKEN). An experiment is named by its
/// id, a unique prefix of it, or its name. Failures (server down, token refused, unknown experiment, a refused spec
/// and its field) print one "error:" line and exit with 1.
/// </summary>
internal static class RemoteCommand
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    private static readonly Option<string> Server = new("--server")
    {
        Description = $"The AutoCompress server (default {DefaultServer}, or AUTOCOMPRESS_SERVER)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AUTOCOMPRESS_SERVER") is { Length: > 0 } s ? s : DefaultServer,
    };

    private static readonly Option<string?> Token = new("--token")
    {
        Description = "The server's API token (default: AUTOCOMPRESS_TOKEN)",
        Recursive = true,
    };

    public static Command Create()
    {
        var cmd = new Command("remote", "Talk to a running `autocompress serve`: experiments, trials, the Pareto front, live progress, model export")
        {
            Server, Token,
        };
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(CreateExperiment());
        foreach (var action in new[] { "pause", "resume" })
            cmd.Subcommands.Add(Control(action));
        cmd.Subcommands.Add(Cancel());
        cmd.Subcommands.Add(Delete());
        cmd.Subcommands.Add(Trials());
        cmd.Subcommands.Add(TrialCommand());
        cmd.Subcommands.Add(Pareto());
        cmd.Subcommands.Add(Watch());
        cmd.Subcommands.Add(Export());
        cmd.Subcommands.Add(Plugins());
        return cmd;
    }

    private static Argument<string> ExperimentArgument() => new("experiment") { Description = "The experiment's id, a unique prefix of it, or its name" };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print the server's JSON instead of text" };

    private static Command List()
    {
        var json = JsonOption();
        var cmd = new Command("list", "List the server's experiments with their progress") { json };
        SetAction(cmd, async (client, parse, ct) =>
        {
            if (parse.GetValue(json)) return PrintJson(await client.GetRawAsync("api/experiments", ct).ConfigureAwait(false));
            Console.Write(RemoteFormat.Experiments(await client.ListAsync(ct).ConfigureAwait(false)));
            return 0;
        });
        return cmd;
    }

    private static Command Show()
    {
        var experiment = ExperimentArgument();
        var json = JsonOption();
        var cmd = new Command("show", "An experiment's progress, best trial and spec") { experiment, json };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var id = await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false);
            if (parse.GetValue(json)) return PrintJson(await client.GetRawAsync($"api/experiments/{id}", ct).ConfigureAwait(false));
            Console.Write(RemoteFormat.Experiment(await client.GetExperimentAsync(id, ct).ConfigureAwait(false)));
            return 0;
        });
        return cmd;
    }

    private static Command CreateExperiment()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The experiment spec (JSON), as for `experiment run`" };
        var watch = new Option<bool>("--watch") { Description = "Then show its live progress until it ends" };
        var cmd = new Command("create", "Create and start an experiment on the server from a spec file") { spec, watch };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var file = parse.GetValue(spec)!;
            if (!file.Exists) throw new RemoteException($"spec file {file.FullName} does not exist");
            var progress = await client.CreateAsync(await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            Console.WriteLine($"experiment {progress.ExperimentId} created on {client.Server}");
            Console.WriteLine(ProgressDisplay.Line(progress));
            return parse.GetValue(watch) ? await RemoteWatch.RunAsync(client, progress.ExperimentId, ct).ConfigureAwait(false) : 0;
        });
        return cmd;
    }

    private static Command Control(string action)
    {
        var experiment = ExperimentArgument();
        var cmd = new Command(action, action == "pause"
            ? "Pause an experiment: no new trials; running ones go back to the queue"
            : "Resume a paused experiment") { experiment };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var id = await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false);
            Console.WriteLine(ProgressDisplay.Line(await client.ControlAsync(id, action, ct).ConfigureAwait(false)));
            return 0;
        });
        return cmd;
    }

    private static Command Cancel()
    {
        var experiment = ExperimentArgument();
        var trial = new Option<long?>("--trial") { Description = "Cancel only this trial (its sequence number), not the experiment" };
        var cmd = new Command("cancel", "Cancel an experiment (its running trials are stopped), or one of its trials") { experiment, trial };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var id = await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false);
            if (parse.GetValue(trial) is { } seq)
            {
                await client.CancelTrialAsync(id, seq, ct).ConfigureAwait(false);
                Console.WriteLine($"trial {seq} of experiment {id} cancelled");
                return 0;
            }
            Console.WriteLine(ProgressDisplay.Line(await client.ControlAsync(id, "cancel", ct).ConfigureAwait(false)));
            return 0;
        });
        return cmd;
    }

    private static Command Delete()
    {
        var experiment = ExperimentArgument();
        var cmd = new Command("delete", "Delete an experiment, its trials and their files (a running one is cancelled first)") { experiment };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var id = await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false);
            await client.DeleteAsync(id, ct).ConfigureAwait(false);
            Console.WriteLine($"experiment {id} deleted");
            return 0;
        });
        return cmd;
    }

    private static Command Trials()
    {
        var experiment = ExperimentArgument();
        var status = new Option<string?>("--status") { Description = "Only these statuses, comma-separated (pending, running, completed, failed, cancelled)" };
        var order = new Option<string?>("--order") { Description = "seq (default) or metric" };
        order.AcceptOnlyFromAmong("seq", "metric");
        var metric = new Option<string?>("--metric") { Description = "The metric to order by (implies --order metric)" };
        var desc = new Option<bool>("--desc") { Description = "Descending order" };
        var offset = new Option<int?>("--offset") { Description = "Skip this many trials" };
        var limit = new Option<int?>("--limit") { Description = "At most this many trials (default 100)" };
        var after = new Option<long?>("--after-seq") { Description = "Only trials after this sequence number (cheap paging by seq)" };
        var json = JsonOption();
        var cmd = new Command("trials", "List an experiment's trials: filter by status, order by a metric, page") { experiment, status, order, metric, desc, offset, limit, after, json };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var id = await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false);
            var query = new List<string>();
            void Add(string key, string? value)
            {
                if (value is not null) query.Add($"{key}={Uri.EscapeDataString(value)}");
            }
            Add("status", parse.GetValue(status));
            Add("metric", parse.GetValue(metric));
            Add("order", parse.GetValue(order) ?? (parse.GetValue(metric) is null ? null : "metric"));
            Add("desc", parse.GetValue(desc) ? "true" : null);
            Add("offset", parse.GetValue(offset)?.ToString(CultureInfo.InvariantCulture));
            Add("limit", parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
            Add("after_seq", parse.GetValue(after)?.ToString(CultureInfo.InvariantCulture));
            var path = query.Count == 0 ? "" : "?" + string.Join('&', query);
            if (parse.GetValue(json)) return PrintJson(await client.GetRawAsync($"api/experiments/{id}/trials{path}", ct).ConfigureAwait(false));
            // Columns for the objectives and the metric ordered by.
            var metrics = RemoteFormat.ObjectiveMetrics(await client.GetExperimentAsync(id, ct).ConfigureAwait(false));
            if (parse.GetValue(metric) is { } m && !metrics.Contains(m)) metrics.Add(m);
            Console.Write(RemoteFormat.Trials(await client.TrialsAsync(id, path, ct).ConfigureAwait(false), metrics));
            return 0;
        });
        return cmd;
    }

    private static Command TrialCommand()
    {
        var experiment = ExperimentArgument();
        var seq = new Argument<long>("seq") { Description = "The trial's sequence number" };
        var json = JsonOption();
        var cmd = new Command("trial", "One trial: configuration, metrics, error and files") { experiment, seq, json };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var id = await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false);
            var path = $"api/experiments/{id}/trials/{parse.GetValue(seq)}";
            if (parse.GetValue(json)) return PrintJson(await client.GetRawAsync(path, ct).ConfigureAwait(false));
            Console.Write(RemoteFormat.Trial(await client.TrialAsync(id, parse.GetValue(seq), ct).ConfigureAwait(false)));
            return 0;
        });
        return cmd;
    }

    private static Command Pareto()
    {
        var experiment = ExperimentArgument();
        var json = JsonOption();
        var cmd = new Command("pareto", "The Pareto front of the completed trials under the experiment's objectives") { experiment, json };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var id = await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false);
            if (parse.GetValue(json)) return PrintJson(await client.GetRawAsync($"api/experiments/{id}/pareto", ct).ConfigureAwait(false));
            Console.Write(RemoteFormat.Pareto(await client.ParetoAsync(id, ct).ConfigureAwait(false)));
            return 0;
        });
        return cmd;
    }

    private static Command Watch()
    {
        var experiment = ExperimentArgument();
        var cmd = new Command("watch", "Show an experiment's live progress until it ends (exit code 0 when it completed)") { experiment };
        SetAction(cmd, async (client, parse, ct) =>
            await RemoteWatch.RunAsync(client, await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false), ct).ConfigureAwait(false));
        return cmd;
    }

    private static Command Export()
    {
        var experiment = ExperimentArgument();
        var seq = new Argument<long?>("seq") { Description = "The trial's sequence number (default: the best trial)", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--out") { Description = "The folder to write into (default: ./<experiment name>-trial-<seq>)" };
        var cmd = new Command("export", "Download a trial's model (description and weights, every file it produced) into a folder") { experiment, seq, output };
        SetAction(cmd, async (client, parse, ct) =>
        {
            var id = await ResolveAsync(client, parse.GetValue(experiment)!, ct).ConfigureAwait(false);
            return await RemoteExport.RunAsync(client, id, parse.GetValue(seq), parse.GetValue(output), ct).ConfigureAwait(false);
        });
        return cmd;
    }

    private static Command Plugins()
    {
        var json = JsonOption();
        var cmd = new Command("plugins", "The server's plugins, loaded and broken") { json };
        SetAction(cmd, async (client, parse, ct) =>
        {
            if (parse.GetValue(json)) return PrintJson(await client.GetRawAsync("api/plugins", ct).ConfigureAwait(false));
            var table = new TextTable("ID", "KIND", "VERSION", "STATE", "ERROR");
            foreach (var p in await client.PluginsAsync(ct).ConfigureAwait(false))
                table.Add(p.Id, p.Kind ?? "-", p.Version ?? "-", p.State, p.Error ?? "");
            Console.Write(table.ToString());
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// An experiment named by id, unique id prefix or name. A full id is used as is (the server says if it does not
    /// exist); anything else is looked up in the list.
    /// </summary>
    internal static async Task<Guid> ResolveAsync(RemoteClient client, string text, CancellationToken ct)
    {
        if (Guid.TryParse(text, out var id)) return id;
        var all = await client.ListAsync(ct).ConfigureAwait(false);
        var matches = all.Where(e => e.Name == text).ToList();
        if (matches.Count == 0)
            matches = [.. all.Where(e => e.ExperimentId.ToString().StartsWith(text, StringComparison.OrdinalIgnoreCase))];
        return matches switch
        {
            [var one] => one.ExperimentId,
            [] => throw new RemoteException($"no experiment on {client.Server} has the id, id prefix or name '{text}' (see `autocompress remote list`)") { StatusCode = 404 },
            _ => throw new RemoteException($"'{text}' matches {matches.Count} experiments: {string.Join(", ", matches.Select(m => m.ExperimentId))}; give more of the id"),
        };
    }

    private static int PrintJson(string json)
    {
        Console.WriteLine(json);
        return 0;
    }

    /// <summary>Runs a remote action with a client for --server/--token, turning every failure into "error: ..." and exit code 1.</summary>
    private static void SetAction(Command cmd, Func<RemoteClient, ParseResult, CancellationToken, Task<int>> body) =>
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                var server = RemoteClient.ParseServer(parse.GetValue(Server)!);
                var token = parse.GetValue(Token) is { Length: > 0 } t ? t : Environment.GetEnvironmentVariable("AUTOCOMPRESS_TOKEN");
                using var client = new RemoteClient(server, token);
                return await body(client, parse, ct).ConfigureAwait(false);
            }
            catch (RemoteException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 130;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or DecoderFallbackException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (Exception e)
            {
                // Unexpected, but still one line: the type says where to look.
                await Console.Error.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
}
