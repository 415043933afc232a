using System.Reflection;
using System.Runtime.Loader;

namespace AutoCompress.Plugins;

/// <summary>
/// One plugin folder's collectible load context. Its own dependencies resolve from the folder
/// (through the plugin's .deps.json); the platform assemblies (Contracts, the engine,
/// Microsoft.Extensions.*) always come from the host so types and native state are shared.
/// </summary>
internal sealed class PluginLoadContext(string mainAssemblyPath, Func<AssemblyName, bool> isShared)
    : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: true)
{
    private readonly AssemblyDependencyResolver resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName name)
    {
        if (isShared(name)) return null; // fall back to the default context
        var path = resolver.ResolveAssemblyToPath(name);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
