using System.CommandLine;
using System.Text.Json;
using AutoCompress.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoCompress.Cli;

/// <summary>
/// `autocompress plugins list`: what the plugin directories hold, loaded or broken, read locally (no server): id,
/// kind, version, state, and for a broken plugin why, so a plugin author sees at once what the host thinks.
/// </summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var dirs = new Option<string[]>("--plugins")
        {
            Description = "A plugin directory (sub-folders with a plugin.json each); repeat for several. Default: the built-in plugins",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var list = new Command("list", "List the plugins found in the plugin directories, with their kind, version, state and error") { dirs, json };
        list.SetAction(async (parse, _) =>
        {
            var given = parse.GetValue(dirs) is { Length: > 0 } d ? d : [CompressCommand.DefaultPluginDirectory()];
            foreach (var dir in given.Where(d => !Directory.Exists(d)))
            {
                await Console.Error.WriteLineAsync($"error: --plugins: {Path.GetFullPath(dir)} does not exist").ConfigureAwait(false);
                return 1;
            }
            using var host = new PluginHost(new PluginHostOptions { Directories = given }, NullLogger<PluginHost>.Instance);
            host.LoadAll();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(host.Plugins.Select(p => new
                {
                    id = p.Id, kind = p.Manifest?.Kind, version = p.Manifest?.Version, state = p.State.ToString().ToLowerInvariant(),
                    error = p.Error, folder = p.Folder,
                }), Remote.RemoteClient.Json));
                return 0;
            }
            var table = new TextTable("ID", "KIND", "VERSION", "STATE", "ERROR");
            foreach (var p in host.Plugins)
                table.Add(p.Id, p.Manifest?.Kind ?? "-", p.Manifest?.Version ?? "-", p.State.ToString().ToLowerInvariant(), p.Error ?? "");
            Console.Write(table.ToString());
            var broken = host.Plugins.Count(p => p.State != PluginState.Loaded);
            Console.WriteLine($"{host.Plugins.Count} plugin(s) in {string.Join(", ", given.Select(Path.GetFullPath))}" + (broken > 0 ? $"; {broken} broken" : ""));
            return 0;
        });
        return new Command("plugins", "Inspect plugins") { list };
    }
}
