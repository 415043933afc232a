using System.Text.Json;

namespace AutoCompress.TestEvaluator;

/// <summary>What <see cref="BehaviourEvaluator"/> is told to do, as the trial's JSON configuration.</summary>
public sealed record TestEvalConfig
{
    /// <summary>The behaviours, named in the error for an unknown one.</summary>
    public static readonly IReadOnlyList<string> Actions = ["sleep", "throw", "crash", "segfault", "raise", "exit", "exit_later", "hang", "log"];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>One of <see cref="Actions"/>.</summary>
    public string Action { get; init; } = "sleep";
    /// <summary>How long "sleep" (and "log", between lines) waits, cooperatively; for "exit_later", the delay before exiting.</summary>
    public double Seconds { get; init; }
    /// <summary>Reported back as the "value" metric.</summary>
    public double Value { get; init; } = 1;
    /// <summary>How many lines "log" writes.</summary>
    public int Lines { get; init; } = 3;
    /// <summary>The exit code of "exit" and "exit_later".</summary>
    public int ExitCode { get; init; } = 3;
    /// <summary>Whether "sleep" writes a file into the work directory and returns it as an artifact.</summary>
    public bool Artifact { get; init; }

    public static TestEvalConfig Parse(string json)
    {
        TestEvalConfig config;
        try
        {
            config = JsonSerializer.Deserialize<TestEvalConfig>(string.IsNullOrWhiteSpace(json) ? "{}" : json, Json) ?? new();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"test-eval: invalid configuration: {e.Message}", nameof(json), e);
        }
        if (!Actions.Contains(config.Action))
            throw new ArgumentException($"test-eval: unknown action '{config.Action}'; known actions: {string.Join(", ", Actions)}", nameof(json));
        return config;
    }
}
