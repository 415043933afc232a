using System.Runtime.CompilerServices;
using System.Text;

namespace AutoCompress.Cli.Remote;

/// <summary>One server-sent event: its name ("progress", "trial", "end") and its data (JSON).</summary>
internal sealed record ServerSentEvent(string Name, string Data);

/// <summary>
/// Reads a text/event-stream (the subset the service writes: "event:" and "data:" lines, events ended by a blank
/// line; comments and ids are skipped). Small enough not to need a package.
/// </summary>
internal static class ServerSentEvents
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var name = "message";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0) yield return new ServerSentEvent(name, data.ToString());
                name = "message";
                data.Clear();
                continue;
            }
            if (line.StartsWith(':')) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "data":
                    if (data.Length > 0) data.Append('\n');
                    data.Append(value);
                    break;
            }
        }
    }
}
