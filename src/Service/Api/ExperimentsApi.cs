using System.Text.Json;
using System.Text.Json.Nodes;
using AutoCompress.Orchestrator.Experiments;
using AutoCompress.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AutoCompress.Service.Api;

/// <summary>/api/experiments: create, list, get, pause, resume, cancel, delete, and the Pareto front.</summary>
internal static class ExperimentsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/experiments").WithTags("experiments");
        group.MapPost("/", CreateAsync).WithSummary("Create and start an experiment from a JSON spec");
        group.MapGet("/", ListAsync).WithSummary("List experiments with their progress");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("An experiment's progress and spec");
        group.MapPost("/{id:guid}/pause", (Guid id, ExperimentHost host, CancellationToken ct) => Control(id, host, () => host.Service.PauseAsync(id, ct)));
        group.MapPost("/{id:guid}/resume", (Guid id, ExperimentHost host, CancellationToken ct) => Control(id, host, () => host.Service.ResumeAsync(id, ct)));
        group.MapPost("/{id:guid}/cancel", (Guid id, ExperimentHost host, CancellationToken ct) => Control(id, host, () => host.Service.CancelAsync(id, ct)));
        group.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Cancel if running, then delete the experiment, its trials and their files");
        group.MapGet("/{id:guid}/pareto", ParetoAsync).WithSummary("The non-dominated completed trials under the spec's objectives, and the hypervolume");
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ExperimentHost host, CancellationToken ct)
    {
        string body;
        using (var reader = new StreamReader(request.Body))
            body = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body)) return Results.BadRequest(new ApiError("spec: the request body is empty; send the experiment spec as JSON"));
        try
        {
            var id = await host.Service.CreateAsync(body, ct).ConfigureAwait(false);
            return Results.Created($"/api/experiments/{id}", await LiveProgressAsync(host, id, ct).ConfigureAwait(false));
        }
        catch (ExperimentSpecException e)
        {
            return Results.BadRequest(ApiError.FromSpec(e.Message));
        }
    }

    private static async Task<IResult> ListAsync(ExperimentHost host, CancellationToken ct)
    {
        var list = new List<ExperimentProgress>();
        foreach (var e in await host.Service.Store.ListExperimentsAsync(cancellationToken: ct).ConfigureAwait(false))
            list.Add(await ProgressAsync(host, e, ct).ConfigureAwait(false));
        return Results.Ok(list);
    }

    // Live progress for running experiments (the actor knows what runs), the store's account for the others.
    private static async Task<ExperimentProgress> ProgressAsync(ExperimentHost host, Experiment e, CancellationToken ct) =>
        e.Status is ExperimentStatus.Running or ExperimentStatus.Created
            ? await LiveProgressAsync(host, e.Id, ct).ConfigureAwait(false)
            : (await ExperimentService.ReadProgressAsync(host.Service.Store, e.Id).ConfigureAwait(false))!;

    /// <summary>
    /// The experiment actor's progress. An actor asked before it has read its experiment (right after creation or a
    /// restart) answers with blanks (no name, a budget of 0): then the store's account is the truthful one.
    /// </summary>
    internal static async Task<ExperimentProgress> LiveProgressAsync(ExperimentHost host, Guid id, CancellationToken ct) =>
        await CompleteAsync(host, await host.Service.GetProgressAsync(id, ct).ConfigureAwait(false)).ConfigureAwait(false);

    private static async Task<ExperimentProgress> CompleteAsync(ExperimentHost host, ExperimentProgress p) =>
        !string.IsNullOrEmpty(p.Name) ? p : await ExperimentService.ReadProgressAsync(host.Service.Store, p.ExperimentId).ConfigureAwait(false) ?? p;

    private static async Task<IResult> GetAsync(Guid id, ExperimentHost host, CancellationToken ct)
    {
        var e = await host.Service.Store.GetExperimentAsync(id, ct).ConfigureAwait(false);
        if (e is null) return NotFound(id);
        return Results.Ok(new { progress = await ProgressAsync(host, e, ct).ConfigureAwait(false), spec = JsonNode.Parse(e.SpecJson), created_at = e.CreatedAt });
    }

    private static async Task<IResult> Control(Guid id, ExperimentHost host, Func<Task<ExperimentProgress>> action)
    {
        try
        {
            return Results.Ok(await CompleteAsync(host, await action().ConfigureAwait(false)).ConfigureAwait(false));
        }
        catch (KeyNotFoundException)
        {
            return NotFound(id);
        }
    }

    private static async Task<IResult> DeleteAsync(Guid id, ExperimentHost host, CancellationToken ct)
    {
        var e = await host.Service.Store.GetExperimentAsync(id, ct).ConfigureAwait(false);
        if (e is null) return NotFound(id);
        if (e.Status is ExperimentStatus.Running or ExperimentStatus.Created or ExperimentStatus.Paused)
            await host.Service.CancelAsync(id, ct).ConfigureAwait(false);
        var files = await host.Service.Store.DeleteExperimentAsync(id, ct).ConfigureAwait(false);
        foreach (var f in files)
            if (File.Exists(f)) File.Delete(f);
        return Results.NoContent();
    }

    private static async Task<IResult> ParetoAsync(Guid id, ExperimentHost host, CancellationToken ct)
    {
        var front = await ExperimentFront.ReadAsync(host.Service.Store, id, ct).ConfigureAwait(false);
        if (front is null) return NotFound(id);
        var points = front.Front.Select(t => new
        {
            seq = t.Seq, trial_id = t.Id, config = JsonNode.Parse(t.ConfigJson), metrics = t.Metrics, fidelity = t.Fidelity,
        }).ToList();
        return Results.Ok(new { objectives = front.Spec.Objectives, front = points, size = points.Count, evaluated = front.Evaluated, hypervolume = front.Hypervolume });
    }

    internal static IResult NotFound(Guid id) => Results.NotFound(new ApiError($"experiment {id} does not exist"));

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
