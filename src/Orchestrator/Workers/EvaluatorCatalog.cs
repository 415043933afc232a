using AutoCompress.Contracts.Evaluation;
using AutoCompress.Plugins;

namespace AutoCompress.Orchestrator.Workers;

/// <summary>
/// The evaluators a plugin host loaded, by their <see cref="Evaluator.Id"/>. Shared by the worker
/// (which runs them) and the pool (which runs the in-process ones), so both name the same known
/// evaluators and broken plugins when an id is unknown.
/// </summary>
public sealed class EvaluatorCatalog
{
    private readonly Dictionary<string, Evaluator> evaluators = new(StringComparer.Ordinal);
    private readonly List<string> broken = new();

    public EvaluatorCatalog(PluginHost plugins)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        foreach (var e in plugins.All<Evaluator>()) evaluators.TryAdd(e.Id, e);
        foreach (var p in plugins.Plugins.Where(p => p.State == PluginState.Broken))
            broken.Add($"{p.Id}: {p.Error}");
    }

    /// <summary>Ids of the loaded evaluators, sorted.</summary>
    public IReadOnlyList<string> Ids => evaluators.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Plugins that failed to load, as "id: reason".</summary>
    public IReadOnlyList<string> Broken => broken;

    public bool TryGet(string id, out Evaluator evaluator) => evaluators.TryGetValue(id, out evaluator!);

    /// <summary>The evaluator <paramref name="id"/>; a <see cref="KeyNotFoundException"/> naming the known ones otherwise.</summary>
    public Evaluator Get(string id)
    {
        if (evaluators.TryGetValue(id, out var e)) return e;
        var known = Ids.Count == 0 ? "(none)" : string.Join(", ", Ids);
        var brokenNote = broken.Count == 0 ? "" : $"; plugins that failed to load: {string.Join("; ", broken)}";
        throw new KeyNotFoundException($"no evaluator named '{id}'; known evaluators: {known}{brokenNote}");
    }
}
