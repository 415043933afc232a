namespace AutoCompress.Plugins;

/// <summary>Why a plugin could not be loaded, or why a requested plugin is not available.</summary>
public sealed class PluginLoadException : Exception
{
    public PluginLoadException() : base("plugin error") { }

    public PluginLoadException(string message) : base(message) { }

    public PluginLoadException(string message, Exception inner) : base(message, inner) { }
}
