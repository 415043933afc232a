using System.Text.Json.Nodes;
using AutoCompress.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AutoCompress.Service.Api;

/// <summary>/api/experiments/{id}/trials: filter and page, one trial, cancel it, its artifacts.</summary>
internal static class TrialsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/experiments/{id:guid}/trials").WithTags("trials");
        group.MapGet("/", ListAsync)
            .WithSummary("Trials, filtered by status (comma-separated), ordered by seq or a metric, paged by offset/limit or after_seq");
        group.MapGet("/{seq:long}", GetAsync).WithSummary("One trial with its artifacts");
        group.MapPost("/{seq:long}/cancel", CancelAsync).WithSummary("Cancel a queued or running trial");
        group.MapGet("/{seq:long}/artifacts/{index:int}", DownloadAsync).WithSummary("Download one of the trial's files (model description, weights)");
    }

    private static async Task<IResult> ListAsync(Guid id, ExperimentHost host, string? status, string? order, string? metric, bool? desc,
        int? offset, int? limit, long? after_seq, CancellationToken ct)
    {
        if (await host.Service.Store.GetExperimentAsync(id, ct).ConfigureAwait(false) is null) return ExperimentsApi.NotFound(id);
        List<Storage.TrialStatus>? statuses = null;
        if (!string.IsNullOrEmpty(status))
        {
            statuses = [];
            foreach (var s in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<Storage.TrialStatus>(s, true, out var parsed) || int.TryParse(s, out _))
                    return Results.BadRequest(new ApiError($"status: '{s}' is not one of {string.Join(", ", Enum.GetNames<Storage.TrialStatus>().Select(n => n.ToLowerInvariant()))}", "status"));
                statuses.Add(parsed);
            }
        }
        if (order is not (null or "seq" or "metric")) return Results.BadRequest(new ApiError($"order: '{order}' is not 'seq' or 'metric'", "order"));
        if (order == "metric" && string.IsNullOrEmpty(metric)) return Results.BadRequest(new ApiError("metric: ordering by metric needs ?metric=NAME", "metric"));
        if (limit is < 1 or > TrialQuery.MaxLimit) return Results.BadRequest(new ApiError($"limit: must be 1..{TrialQuery.MaxLimit}, got {limit}", "limit"));
        if (offset is < 0) return Results.BadRequest(new ApiError($"offset: must be >= 0, got {offset}", "offset"));
        var query = new TrialQuery
        {
            Statuses = statuses, OrderBy = order == "metric" ? TrialOrder.Metric : TrialOrder.Seq, Metric = metric,
            Descending = desc ?? false, Offset = offset ?? 0, Limit = limit ?? 100, AfterSeq = after_seq,
        };
        IReadOnlyList<Trial> trials;
        try
        {
            trials = await host.Service.Store.QueryTrialsAsync(id, query, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }
        var total = await host.Service.Store.CountTrialsAsync(id, statuses, ct).ConfigureAwait(false);
        return Results.Ok(new { total, offset = query.Offset, limit = query.Limit, trials = trials.Select(View) });
    }

    internal static object View(Trial t) => new
    {
        seq = t.Seq, trial_id = t.Id, status = t.Status.ToString().ToLowerInvariant(), config = JsonNode.Parse(t.ConfigJson),
        fidelity = t.Fidelity, parent_id = t.ParentId, attempt = t.Attempt, worker = t.WorkerId, metrics = t.Metrics, error = t.Error,
        created_at = t.CreatedAt, started_at = t.StartedAt, ended_at = t.EndedAt, duration_seconds = t.Duration?.TotalSeconds,
    };

    private static async Task<Trial?> FindAsync(ExperimentStore store, Guid id, long seq, CancellationToken ct) =>
        seq < 1 ? null : (await store.QueryTrialsAsync(id, new TrialQuery { AfterSeq = seq - 1, Limit = 1 }, ct).ConfigureAwait(false)) is [var t] && t.Seq == seq ? t : null;

    private static async Task<IResult> GetAsync(Guid id, long seq, ExperimentHost host, CancellationToken ct)
    {
        if (await host.Service.Store.GetExperimentAsync(id, ct).ConfigureAwait(false) is null) return ExperimentsApi.NotFound(id);
        var trial = await FindAsync(host.Service.Store, id, seq, ct).ConfigureAwait(false);
        if (trial is null) return Results.NotFound(new ApiError($"experiment {id} has no trial {seq}"));
        var artifacts = await host.Service.Store.GetArtifactsAsync(trial.Id, ct).ConfigureAwait(false);
        return Results.Ok(new
        {
            trial = View(trial),
            artifacts = artifacts.Select(x => x.Info).Select((a, i) => new { index = i, kind = a.Kind, name = Path.GetFileName(a.Path), bytes = a.Bytes, sha256 = a.Sha256,
                url = $"/api/experiments/{id}/trials/{seq}/artifacts/{i}" }),
        });
    }

    private static async Task<IResult> CancelAsync(Guid id, long seq, ExperimentHost host, CancellationToken ct)
    {
        if (await host.Service.Store.GetExperimentAsync(id, ct).ConfigureAwait(false) is null) return ExperimentsApi.NotFound(id);
        var trial = await FindAsync(host.Service.Store, id, seq, ct).ConfigureAwait(false);
        if (trial is null) return Results.NotFound(new ApiError($"experiment {id} has no trial {seq}"));
        var cancelled = await host.Service.CancelTrialAsync(id, trial.Id, ct).ConfigureAwait(false);
        return cancelled ? Results.Ok(new { cancelled })
            : Results.Conflict(new ApiError($"trial {seq} is {trial.Status.ToString().ToLowerInvariant()} or its experiment is not running; only a queued or running trial of a running experiment can be cancelled"));
    }

    private static async Task<IResult> DownloadAsync(Guid id, long seq, int index, ExperimentHost host, CancellationToken ct)
    {
        if (await host.Service.Store.GetExperimentAsync(id, ct).ConfigureAwait(false) is null) return ExperimentsApi.NotFound(id);
        var trial = await FindAsync(host.Service.Store, id, seq, ct).ConfigureAwait(false);
        if (trial is null) return Results.NotFound(new ApiError($"experiment {id} has no trial {seq}"));
        var artifacts = await host.Service.Store.GetArtifactsAsync(trial.Id, ct).ConfigureAwait(false);
        if (index < 0 || index >= artifacts.Count) return Results.NotFound(new ApiError($"trial {seq} has {artifacts.Count} artifact(s); there is no {index}"));
        var a = artifacts[index].Info;
        if (!File.Exists(a.Path)) return Results.NotFound(new ApiError($"artifact {a.Path} is recorded but the file is gone"));
        var type = a.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json" : "application/octet-stream";
        return Results.File(a.Path, type, Path.GetFileName(a.Path));
    }
}
