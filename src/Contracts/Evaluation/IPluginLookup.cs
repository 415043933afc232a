namespace AutoCompress.Contracts.Evaluation;

/// <summary>
/// Read access to the other plugins the host loaded, by plugin id. An evaluator that composes
/// plugins (runs method plugins one after another, asks cost models for a model's costs) finds
/// them here instead of loading them itself, so it uses exactly the plugins, versions and load
/// contexts the host chose, and a third party's method or cost model is usable by id like a built-in one.
/// </summary>
public interface IPluginLookup
{
    /// <summary>The loaded plugin <paramref name="id"/> if it is a <typeparamref name="T"/>; null when there is none
    /// (not loaded, broken, or of another kind).</summary>
    T? Find<T>(string id) where T : class;

    /// <summary>Ids of the loaded plugins that are <typeparamref name="T"/>s, sorted, for error messages and listings.</summary>
    IReadOnlyList<string> Ids<T>() where T : class;
}
