using System.CommandLine;
using AutoCompress.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AutoCompress.Cli;

/// <summary>
/// `autocompress serve`: the long-lived service (REST API, live events, dashboard) on the Generic Host. Settings come
/// from appsettings.json, AUTOCOMPRESS__SERVICE__* environment variables and these options; a bad one stops it with
/// a message naming the key.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var db = new Option<string?>("--db") { Description = "The experiment database (AutoCompress:Service:Database)" };
        var token = new Option<string?>("--token") { Description = "The API bearer token (AutoCompress:Service:Token); prefer AUTOCOMPRESS__SERVICE__TOKEN" };
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {ServiceHost.DefaultUrl}, loopback only)" };
        var slots = new Option<int?>("--slots") { Description = "Worker processes (AutoCompress:Service:Slots)" };
        var plugins = new Option<string[]>("--plugins") { Description = "Plugin directories (default: the built-in plugins)", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("serve", "Run the AutoCompress service: REST API, live events and dashboard") { db, token, urls, slots, plugins };
        cmd.SetAction(async (parse, cancel) =>
        {
            // A setting refused at start is printed below as one "error:" line per failure naming the key; the host's
            // own "Hosting failed to start" log entry would only repeat it with a stack trace.
            var overrides = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical" };
            if (parse.GetValue(db) is { } d) overrides[$"{ServiceOptions.Section}:Database"] = d;
            if (parse.GetValue(token) is { } t) overrides[$"{ServiceOptions.Section}:Token"] = t;
            if (parse.GetValue(urls) is { } u) overrides["urls"] = u;
            if (parse.GetValue(slots) is { } s) overrides[$"{ServiceOptions.Section}:Slots"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var dirs = parse.GetValue(plugins) ?? [];
            for (var i = 0; i < dirs.Length; i++) overrides[$"{ServiceOptions.Section}:PluginDirectories:{i}"] = dirs[i];
            try
            {
                await using var app = ServiceHost.Build([], overrides);
                await app.StartAsync(cancel);
                await app.WaitForShutdownAsync(cancel);
                return 0;
            }
            catch (OptionsValidationException e)
            {
                foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"error: {failure}");
                return 1;
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }
}
