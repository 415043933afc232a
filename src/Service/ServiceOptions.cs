using Microsoft.Extensions.Options;

namespace AutoCompress.Service;

/// <summary>
/// Settings of `autocompress serve`, bound from the "AutoCompress:Service" section (appsettings.json, environment
/// variables such as AUTOCOMPRESS__SERVICE__TOKEN, the command line) and validated at start: a bad value stops the
/// host with a message naming the key.
/// </summary>
public sealed class ServiceOptions
{
    public const string Section = "AutoCompress:Service";

    /// <summary>The experiment database (SQLite).</summary>
    public string Database { get; set; } = "runs/experiments.db";

    /// <summary>Where trials write their files; default: "work" beside the database.</summary>
    public string? WorkRoot { get; set; }

    /// <summary>Plugin directories; default: the built-in plugins.</summary>
    public List<string> PluginDirectories { get; set; } = [];

    /// <summary>Worker processes for isolated evaluators.</summary>
    public int Slots { get; set; } = 2;

    /// <summary>Trials of in-process evaluators at once.</summary>
    public int InProcessSlots { get; set; } = 16;

    /// <summary>
    /// The bearer token every API call but /health must present ("Authorization: Bearer TOKEN"). Required: a service
    /// without one refuses to start (set it, e.g. AUTOCOMPRESS__SERVICE__TOKEN=...).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>How often live event streams send progress, in seconds.</summary>
    public double EventIntervalSeconds { get; set; } = 1;
}

/// <summary>Checks <see cref="ServiceOptions"/>; each failure names its configuration key.</summary>
internal sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        var failures = new List<string>();
        const string P = ServiceOptions.Section + ":";
        if (string.IsNullOrWhiteSpace(options.Database)) failures.Add($"{P}Database must name a database file");
        if (options.Slots is < 1 or > 256) failures.Add($"{P}Slots must be 1..256, got {options.Slots}");
        if (options.InProcessSlots is < 1 or > 4096) failures.Add($"{P}InProcessSlots must be 1..4096, got {options.InProcessSlots}");
        if (string.IsNullOrWhiteSpace(options.Token)) failures.Add($"{P}Token is required (every API call but /health must present it)");
        else if (options.Token.Length < 16) failures.Add($"{P}Token must be at least 16 characters");
        if (!(options.EventIntervalSeconds is > 0 and <= 60)) failures.Add($"{P}EventIntervalSeconds must be in (0, 60], got {options.EventIntervalSeconds}");
        foreach (var dir in options.PluginDirectories)
            if (!Directory.Exists(dir)) failures.Add($"{P}PluginDirectories: {dir} does not exist");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
