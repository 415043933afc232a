using System.Text.Json.Nodes;
using AutoCompress.Orchestrator.Experiments;

namespace AutoCompress.Cli.Remote;

// The shapes of the service's answers that the client reads (snake_case JSON, see src/Service/Api). Only what the
// commands use is typed; the rest stays JSON so the client keeps working when the server adds fields.

/// <summary>GET /api/experiments/{id}.</summary>
internal sealed record ExperimentDetail(ExperimentProgress Progress, JsonNode? Spec, DateTimeOffset CreatedAt);

/// <summary>One trial as the API shows it.</summary>
internal sealed record TrialView(long Seq, long TrialId, string Status, JsonNode? Config, double? Fidelity, int Attempt, string? Worker,
    Dictionary<string, double>? Metrics, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    double? DurationSeconds);

/// <summary>GET /api/experiments/{id}/trials.</summary>
internal sealed record TrialPage(long Total, int Offset, int Limit, List<TrialView> Trials);

/// <summary>One file a trial produced, downloadable from <see cref="Url"/>.</summary>
internal sealed record ArtifactView(int Index, string Kind, string Name, long Bytes, string Sha256, string Url);

/// <summary>GET /api/experiments/{id}/trials/{seq}.</summary>
internal sealed record TrialDetail(TrialView Trial, List<ArtifactView> Artifacts);

/// <summary>An objective of the Pareto front ("direction" is "minimize" or "maximize").</summary>
internal sealed record ObjectiveView(string Metric, string Direction);

/// <summary>A member of the Pareto front.</summary>
internal sealed record FrontMember(long Seq, long TrialId, JsonNode? Config, Dictionary<string, double>? Metrics, double? Fidelity);

/// <summary>GET /api/experiments/{id}/pareto.</summary>
internal sealed record ParetoView(List<ObjectiveView> Objectives, List<FrontMember> Front, int Size, int Evaluated, double? Hypervolume);

/// <summary>GET /api/plugins.</summary>
internal sealed record PluginView(string Id, string? Kind, string? Version, string State, string? Error, string? Folder);

/// <summary>The body of a 4xx answer.</summary>
internal sealed record ErrorView(string? Error, string? Field);
