using System.Reflection;
using AutoCompress.Contracts.Costs;
using AutoCompress.Contracts.Evaluation;
using Microsoft.Extensions.Logging;

namespace AutoCompress.Plugins;

/// <summary>Where a plugin stands.</summary>
public enum PluginState
{
    Loaded,
    Broken,
    Unloaded,
}

/// <summary>A discovered plugin folder: its manifest (when readable), state, and the reason it is broken.</summary>
public sealed record PluginInfo(string Id, string Folder, PluginManifest? Manifest, PluginState State, string? Error);

/// <summary>Settings of the plugin host.</summary>
public sealed record PluginHostOptions
{
    /// <summary>Folders whose sub-folders are plugins (each with a plugin.json).</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    /// <summary>
    /// Assembly-name prefixes always taken from the host, never from a plugin folder: the contracts,
    /// the engine (so tensors and native state are one) and the Microsoft.Extensions abstractions.
    /// </summary>
    public IReadOnlyList<string> SharedAssemblyPrefixes { get; init; } =
        ["AutoCompress.Contracts", "AutoCompress.Torch", "AutoCompress.Data", "AutoCompress.Training", "Microsoft.Extensions."];
}

/// <summary>
/// Discovers plugin folders, loads each into its own collectible <see cref="System.Runtime.Loader.AssemblyLoadContext"/>
/// and instantiates the type it declares. A plugin that cannot load (bad manifest, missing assembly or
/// dependency, incompatible Contracts version, duplicate id, throwing constructor) is skipped, logged
/// and listed as broken with the reason; the host stays up.
/// </summary>
public sealed partial class PluginHost : IDisposable, IPluginLookup
{
    /// <summary>The contract each plugin kind must implement; kinds without one are not loadable yet.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Contracts = new Dictionary<string, Type>
    {
        ["cost-model"] = typeof(CostModel),
        ["method"] = typeof(AutoCompress.Contracts.Methods.CompressionMethod),
        ["evaluator"] = typeof(AutoCompress.Contracts.Evaluation.Evaluator),
    };

    private readonly PluginHostOptions options;
    private readonly ILogger logger;
    private readonly Dictionary<string, Loaded> loaded = new(StringComparer.Ordinal);
    private readonly List<PluginInfo> all = new();

    private sealed record Loaded(PluginInfo Info, PluginLoadContext Context, object Instance);

    public PluginHost(PluginHostOptions options, ILogger<PluginHost> logger)
    {
        this.options = options;
        this.logger = logger;
    }

    /// <summary>The Contracts version of this host ("major.minor").</summary>
    public static string ContractsVersion
    {
        get
        {
            var v = typeof(CostModel).Assembly.GetName().Version!;
            return $"{v.Major}.{v.Minor}";
        }
    }

    /// <summary>Every discovered plugin, loaded or broken.</summary>
    public IReadOnlyList<PluginInfo> Plugins => all;

    /// <summary>Scans the configured directories and loads every plugin folder found.</summary>
    public void LoadAll()
    {
        foreach (var dir in options.Directories)
        {
            if (!Directory.Exists(dir))
            {
                LogMissingDirectory(dir);
                continue;
            }
            foreach (var folder in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
                Load(folder);
        }
    }

    /// <summary>Loads one plugin folder; returns what happened to it.</summary>
    public PluginInfo Load(string folder)
    {
        PluginManifest? manifest = null;
        var id = Path.GetFileName(folder);
        try
        {
            manifest = PluginManifest.Load(Path.Combine(folder, PluginManifest.FileName));
            id = manifest.Id;
            if (loaded.TryGetValue(id, out var existing))
                throw new PluginLoadException($"duplicate plugin id '{id}': already loaded from {existing.Info.Folder}");
            if (!Contracts.TryGetValue(manifest.Kind, out var contract))
                throw new PluginLoadException($"kind '{manifest.Kind}' has no contract in this version; known kinds: {string.Join(", ", Contracts.Keys)}");
            if (manifest.ContractsVersion != ContractsVersion)
                throw new PluginLoadException($"built against Contracts {manifest.ContractsVersion}, this host has Contracts {ContractsVersion}");
            var path = Path.Combine(folder, manifest.Assembly);
            if (!File.Exists(path)) throw new PluginLoadException($"assembly {manifest.Assembly} is not in {folder}");

            var context = new PluginLoadContext(Path.GetFullPath(path), IsShared);
            try
            {
                var instance = Instantiate(context.LoadFromAssemblyPath(Path.GetFullPath(path)), manifest, contract);
                var info = new PluginInfo(id, folder, manifest, PluginState.Loaded, null);
                loaded[id] = new Loaded(info, context, instance);
                all.Add(info);
                LogLoaded(id, manifest.Version, manifest.Kind, folder);
                return info;
            }
            catch
            {
                context.Unload();
                throw;
            }
        }
        catch (Exception e) when (e is PluginLoadException or IOException or BadImageFormatException or TypeLoadException
                                      or ReflectionTypeLoadException or TargetInvocationException or MissingMethodException)
        {
            var reason = Describe(e);
            var info = new PluginInfo(id, folder, manifest, PluginState.Broken, reason);
            all.Add(info);
            LogBroken(id, folder, reason);
            return info;
        }
    }

    private bool IsShared(AssemblyName name) =>
        name.Name is { } n && options.SharedAssemblyPrefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal));

    private static object Instantiate(Assembly assembly, PluginManifest manifest, Type contract)
    {
        // The version the plugin was really compiled against, not only what its manifest says.
        var built = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == contract.Assembly.GetName().Name);
        if (built?.Version is { } v && $"{v.Major}.{v.Minor}" != ContractsVersion)
            throw new PluginLoadException($"compiled against Contracts {v.Major}.{v.Minor}, this host has Contracts {ContractsVersion}");
        Type type;
        if (manifest.Type is not null)
        {
            type = assembly.GetType(manifest.Type, throwOnError: false)
                   ?? throw new PluginLoadException($"type {manifest.Type} is not in {manifest.Assembly}");
            if (!contract.IsAssignableFrom(type)) throw new PluginLoadException($"type {manifest.Type} does not derive from {contract.Name}");
        }
        else
        {
            var candidates = assembly.GetExportedTypes().Where(t => !t.IsAbstract && contract.IsAssignableFrom(t)).ToList();
            if (candidates.Count != 1)
                throw new PluginLoadException($"{manifest.Assembly} exports {candidates.Count} {contract.Name} types; name one with \"type\" in the manifest");
            type = candidates[0];
        }
        // A public constructor whose parameters all have defaults.
        var ctor = type.GetConstructors().Where(c => c.GetParameters().All(p => p.IsOptional)).MinBy(c => c.GetParameters().Length)
                   ?? throw new PluginLoadException($"{type.FullName} has no public constructor callable without arguments");
        return ctor.Invoke(ctor.GetParameters().Select(_ => Type.Missing).ToArray());
    }

    private static string Describe(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => $"its constructor threw {inner.GetType().Name}: {inner.Message}",
        ReflectionTypeLoadException r => "a dependency is missing: " + string.Join("; ", r.LoaderExceptions.Select(x => x?.Message).Distinct()),
        FileNotFoundException f => $"a dependency is missing: {f.FileName ?? f.Message}",
        _ => e.Message,
    };

    /// <summary>The loaded plugin <paramref name="id"/> as its contract type.</summary>
    public T Get<T>(string id) where T : class
    {
        if (loaded.TryGetValue(id, out var p))
            return p.Instance as T ?? throw new PluginLoadException($"plugin '{id}' is a {p.Info.Manifest!.Kind}, not a {typeof(T).Name}");
        var broken = all.LastOrDefault(i => i.Id == id && i.State == PluginState.Broken);
        if (broken is not null) throw new PluginLoadException($"plugin '{id}' is broken: {broken.Error}");
        var known = loaded.Keys.Order(StringComparer.Ordinal).ToList();
        throw new PluginLoadException($"no plugin named '{id}'; known plugins: {(known.Count == 0 ? "(none)" : string.Join(", ", known))}");
    }

    /// <summary>The loaded plugin <paramref name="id"/> as a <typeparamref name="T"/>, or null when there is no such loaded plugin of that type.</summary>
    public T? Find<T>(string id) where T : class => loaded.TryGetValue(id, out var p) ? p.Instance as T : null;

    /// <summary>Ids of the loaded plugins of contract type <typeparamref name="T"/>, sorted.</summary>
    public IReadOnlyList<string> Ids<T>() where T : class =>
        loaded.Where(kv => kv.Value.Instance is T).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every loaded plugin of contract type <typeparamref name="T"/>.</summary>
    public IEnumerable<T> All<T>() where T : class => loaded.Values.Select(p => p.Instance).OfType<T>();

    /// <summary>
    /// Unloads plugin <paramref name="id"/>. The returned reference goes dead once nothing holds the
    /// plugin's types any more and the collector has run.
    /// </summary>
    public WeakReference Unload(string id)
    {
        if (!loaded.Remove(id, out var p)) throw new PluginLoadException($"plugin '{id}' is not loaded");
        var index = all.IndexOf(p.Info);
        all[index] = p.Info with { State = PluginState.Unloaded };
        var weak = new WeakReference(p.Context);
        p.Context.Unload();
        LogUnloaded(id);
        return weak;
    }

    public void Dispose()
    {
        foreach (var id in loaded.Keys.ToList()) Unload(id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "loaded plugin {Id} {Version} ({Kind}) from {Folder}")]
    private partial void LogLoaded(string id, string version, string kind, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "skipped plugin {Id} in {Folder}: {Reason}")]
    private partial void LogBroken(string id, string folder, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "unloaded plugin {Id}")]
    private partial void LogUnloaded(string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "plugin directory {Directory} does not exist")]
    private partial void LogMissingDirectory(string directory);
}
