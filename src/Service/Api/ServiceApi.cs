using System.Text.Json;
using AutoCompress.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AutoCompress.Service.Api;

/// <summary>/health (no token), /api/plugins, and /api/experiments/{id}/events (server-sent events).</summary>
internal static class ServiceApi
{
    public static void MapHealth(IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (ExperimentHost host, CancellationToken ct) =>
        {
            var scheduler = await host.Service.GetSchedulerStatusAsync(ct).ConfigureAwait(false);
            var running = await host.Service.Store.ListExperimentsAsync(ExperimentStatus.Running, ct).ConfigureAwait(false);
            return Results.Ok(new
            {
                status = "ok", experiments_running = running.Count, worker_slots = scheduler.IsolatedSlots,
                trials_running = scheduler.RunningIsolated + scheduler.RunningInProcess,
            });
        }).WithTags("service").AllowAnonymous();

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/plugins", (ExperimentHost host) => Results.Ok(host.Plugins.Plugins.Select(p => new
        {
            id = p.Id, kind = p.Manifest?.Kind, version = p.Manifest?.Version, state = p.State.ToString().ToLowerInvariant(),
            error = p.Error, folder = p.Folder,
        }))).WithTags("service").WithSummary("Loaded and broken plugins");

        api.MapGet("/experiments/{id:guid}/events", EventsAsync).WithTags("experiments")
            .WithSummary("Server-sent events: 'progress' every interval, 'trial' for each trial that ended, 'end' when the experiment ends");
    }

    private static async Task EventsAsync(Guid id, HttpContext http, ExperimentHost host, IOptions<ServiceOptions> options, CancellationToken ct)
    {
        var store = host.Service.Store;
        var experiment = await store.GetExperimentAsync(id, ct).ConfigureAwait(false);
        if (experiment is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsJsonAsync(new ApiError($"experiment {id} does not exist"), ct).ConfigureAwait(false);
            return;
        }
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var interval = TimeSpan.FromSeconds(options.Value.EventIntervalSeconds);
        var ended = new HashSet<long>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                experiment = await store.GetExperimentAsync(id, ct).ConfigureAwait(false);
                if (experiment is null) break;
                var live = experiment.Status is ExperimentStatus.Running or ExperimentStatus.Created;
                var progress = live ? await ExperimentsApi.LiveProgressAsync(host, id, ct).ConfigureAwait(false)
                    : await Orchestrator.Experiments.ExperimentService.ReadProgressAsync(store, id).ConfigureAwait(false);
                await Send(http, "progress", progress, ct).ConfigureAwait(false);
                // Trials that ended since the last round (completed, failed, cancelled), oldest first.
                var recent = await store.QueryTrialsAsync(id, new TrialQuery
                {
                    Statuses = [Storage.TrialStatus.Completed, Storage.TrialStatus.Failed, Storage.TrialStatus.Cancelled],
                    OrderBy = TrialOrder.Seq, Descending = true, Limit = 200,
                }, ct).ConfigureAwait(false);
                foreach (var t in recent.Reverse())
                    if (ended.Add(t.Seq)) await Send(http, "trial", TrialsApi.View(t), ct).ConfigureAwait(false);
                if (!live && experiment.Status != ExperimentStatus.Paused)
                {
                    await Send(http, "end", progress, ct).ConfigureAwait(false);
                    break;
                }
                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static async Task Send(HttpContext http, string name, object? data, CancellationToken ct)
    {
        await http.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, ExperimentsApi.Json)}\n\n", ct).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
