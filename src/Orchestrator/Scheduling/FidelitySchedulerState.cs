using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoCompress.Orchestrator.Scheduling;

/// <summary>
/// The complete state of a multi-fidelity scheduler: its settings (exactly one of <see cref="SuccessiveHalving"/>
/// and <see cref="Asha"/>), the counters for new keys and configuration ids, whether new configurations were
/// stopped, and every trial (in-flight ones included, which is how handed-out jobs survive a restart). Everything
/// else (rankings, promotions) is derived from the trials, so the state cannot contradict itself beyond what
/// <see cref="Restore"/> checks. Serialises to snake_case JSON that round-trips exactly.
/// </summary>
public sealed record FidelitySchedulerState
{
    /// <summary>The format version written now; <see cref="Restore"/> refuses others.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // An objective may be infinite (an unbounded loss); NaN is refused on Report.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public required int Version { get; init; }

    /// <summary>The settings when the scheduler is <see cref="Scheduling.SuccessiveHalving"/>.</summary>
    public SuccessiveHalvingOptions? SuccessiveHalving { get; init; }

    /// <summary>The settings when the scheduler is <see cref="AsynchronousSuccessiveHalving"/>.</summary>
    public AshaOptions? Asha { get; init; }

    /// <summary>True after <see cref="IFidelityScheduler.StopNewConfigurations"/>.</summary>
    public required bool NewConfigurationsStopped { get; init; }

    /// <summary>The key the next trial gets (keys of withdrawn trials are not reused).</summary>
    public required long NextTrialKey { get; init; }

    /// <summary>The id the next new configuration gets.</summary>
    public required int NextConfigurationId { get; init; }

    /// <summary>All trials in key order, in flight or reported (withdrawn ones are gone).</summary>
    public required IReadOnlyList<FidelityTrial> Trials { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses <see cref="ToJson"/>'s output; malformed JSON or a missing field is an <see cref="InvalidDataException"/>.</summary>
    public static FidelitySchedulerState FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<FidelitySchedulerState>(json, Json)
                   ?? throw new InvalidDataException("scheduler state: the JSON is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"scheduler state: invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// The scheduler this state describes, continuing exactly where it was saved. An inconsistent state (a promotion
    /// without a completed parent, a configuration promoted twice, more trials than the settings allow, ...) is an
    /// <see cref="InvalidDataException"/> naming the trial; invalid settings are an <see cref="ArgumentException"/>.
    /// </summary>
    public IFidelityScheduler Restore() => (SuccessiveHalving, Asha) switch
    {
        (not null, null) => Scheduling.SuccessiveHalving.Restore(this),
        (null, not null) => AsynchronousSuccessiveHalving.Restore(this),
        _ => throw new InvalidDataException("scheduler state: exactly one of \"successive_halving\" and \"asha\" must hold the settings"),
    };
}
