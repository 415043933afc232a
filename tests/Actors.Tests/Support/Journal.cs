using System.Collections.Concurrent;

namespace AutoCompress.Actors.Tests;

/// <summary>A shared journal that test actors write lifecycle events and received messages into.</summary>
internal sealed class Journal
{
    private readonly ConcurrentQueue<string> entries = new();

    public void Add(string entry) => entries.Enqueue(entry);

    public IReadOnlyList<string> Entries => [.. entries];

    public int IndexOf(string entry) => Entries.ToList().IndexOf(entry);
}
